import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * A 503 of /readyz keeps terminus's body (`status`, `info`, `error`, `details`: a status per dependency, no error text)
 * instead of the generic error body the global filter would give it, so an operator sees which dependency is down.
 */
@Catch(ServiceUnavailableException)
export class ReadinessRefusalFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(503).json(exception.getResponse());
  }
}
