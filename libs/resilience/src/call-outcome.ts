/**
 * What we know about a call to an external system after it failed. The distinction matters for
 * exactly-once effects: after `not_sent` a resend is safe; after `unknown` the target may have
 * acted, so the caller must first ask the target (query by key or serial) before sending again.
 */
export type FailureKind =
  | 'not_sent' // refused, breaker open, rate limited before processing: safe to resend
  | 'unknown' // timeout or connection lost after sending, 5xx: query before resending
  | 'rejected'; // the target understood and refused: permanent, don't resend as is

export class ExternalCallError extends Error {
  constructor(
    readonly target: string,
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExternalCallError';
  }
}

export function isExternalCallError(error: unknown): error is ExternalCallError {
  return error instanceof ExternalCallError;
}
