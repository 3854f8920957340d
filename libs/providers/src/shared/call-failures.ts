import { ExternalCallError, FailureKind } from '@lib/resilience';

/** Builds the coded failures adapters throw (see InvoiceTargetAdapter for what each kind means). */
export function failure(
  target: string,
  kind: FailureKind,
  code: string,
  message: string,
  extra: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
): ExternalCallError {
  return new ExternalCallError(target, kind, code, `${target}: ${message}`, extra.status, extra.retryAfterMs, {
    cause: extra.cause,
  });
}

/** The JSON body of the HTTP answer behind a failed call, when there was one. */
export function responseBodyOf(error: ExternalCallError): unknown {
  const response = (error.cause as { response?: { data?: unknown } } | undefined)?.response;
  return response?.data;
}

/**
 * A 503 that carries Retry-After is the target saying it did not handle the request (maintenance, outage):
 * safe to resend. A 5xx without it (or a 500) may have been processed halfway: unknown.
 */
export function refusedBeforeProcessing(error: ExternalCallError): boolean {
  return error.status === 503 && error.retryAfterMs !== undefined;
}

/** Re-labels a 503-with-Retry-After as not sent; every other failure is returned unchanged. */
export function withOutageAsNotSent(error: ExternalCallError, code = 'SERVICE_UNAVAILABLE'): ExternalCallError {
  if (!refusedBeforeProcessing(error)) return error;
  return failure(error.target, 'not_sent', code, 'unavailable (503 with Retry-After)', {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
