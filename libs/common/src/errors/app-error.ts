/**
 * How an error should be treated by whoever meets it. One mapping (see `http-status.ts` and the
 * Kafka consumer's classifier) turns the kind into an HTTP status or a retry/DLQ decision.
 */
export type ErrorKind =
  | 'validation' // the input is wrong: 400, or DLQ for a message
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable' // a dependency is down: 503, or retry the message later
  | 'transient' // worth retrying a few times
  | 'internal'; // a bug

export interface ErrorDetail {
  code?: string;
  field?: string;
  message: string;
}

export interface AppErrorOptions {
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error with a stable UPPER_SNAKE code that callers, logs and metrics can rely on. */
export class AppError extends Error {
  readonly details: ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retriable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'transient' || this.kind === 'rate_limited';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
