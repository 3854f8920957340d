import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AllExceptionsFilter, errorBody } from '@lib/observability';
import { ServiceAnswer, UpstreamError } from '../api/upstream';

/**
 * The house error filter plus the console's two: a service's own answer goes back unchanged, and an unreachable
 * service is a 503 (refused) or 504 (no answer within the deadline) with a code saying which.
 */
@Catch()
export class ConsoleErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Upstream');
  private readonly fallback = new AllExceptionsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ServiceAnswer && !res.headersSent) {
      res.status(exception.status).json(exception.body);
      return;
    }
    if (exception instanceof UpstreamError && !res.headersSent) {
      this.logger.warn({ service: exception.service, code: exception.code }, exception.message);
      res.setHeader('Retry-After', '5');
      res.status(exception.status).json(errorBody(exception.code, exception.message));
      return;
    }
    this.fallback.catch(exception, host);
  }
}
