import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { httpStatusOf, isAppError, isDependencyUnavailable } from '@lib/common';
import { errorBody } from './error-body';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place that turns an exception into an HTTP answer: `{error: {code, message, details}}`.
 * Bad input is never a 500; an unreachable dependency is a 503 with Retry-After.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;

    if (isAppError(exception)) {
      const status = httpStatusOf(exception.kind);
      if (exception.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      if (status >= 500) this.logger.error({ err: exception, code: exception.code }, exception.message);
      res.status(status).json(errorBody(exception.code, exception.message, exception.details));
      return;
    }

    // Nest 12 wraps body-parser failures in an HttpException; the parser's own error is the cause.
    const bodyParser =
      bodyParserError(exception) ?? bodyParserError((exception as { cause?: unknown })?.cause);
    if (bodyParser) {
      res.status(bodyParser.status).json(errorBody(bodyParser.code, bodyParser.message));
      return;
    }

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
      res.status(status).json(errorBody(code, exception.message));
      return;
    }

    if (isDependencyUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'dependency unavailable');
      res.setHeader('Retry-After', '5');
      res.status(503).json(errorBody('STORE_UNAVAILABLE', 'A dependency is unavailable; retry later'));
      return;
    }

    this.logger.error({ err: exception }, 'unhandled error');
    res.status(500).json(errorBody('INTERNAL', 'Internal error'));
  }
}

interface BodyParserFailure {
  status: number;
  code: string;
  message: string;
}

/** Errors raised by express's body parser carry `type` and `status`. */
function bodyParserError(exception: unknown): BodyParserFailure | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  switch (type) {
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' };
    case 'entity.parse.failed':
      return { status: 400, code: 'MALFORMED_JSON', message: 'Request body is not valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'UNSUPPORTED_ENCODING', message: 'Unsupported body encoding' };
    case 'request.aborted':
      return { status: 400, code: 'REQUEST_ABORTED', message: 'Request aborted' };
    default:
      return status >= 400 && status < 500
        ? { status, code: 'BAD_REQUEST', message: 'Bad request body' }
        : undefined;
  }
}
