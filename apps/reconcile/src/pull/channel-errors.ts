import { AppError } from '@lib/common';
import { isExternalCallError } from '@lib/resilience';

/** Codes after which a channel cannot answer for a while: move on at once instead of retrying. */
const UNAVAILABLE_CODES = new Set(['BREAKER_OPEN', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A reader's ExternalCallError as the AppError the pull acts on: unavailable (breaker open, unreachable,
 * plus any `alsoUnavailable` code), validation (the request itself is refused: not retriable) or transient
 * (timeouts, 5xx, rate limits: retried). Anything else is returned unchanged.
 */
export function toChannelError(error: unknown, alsoUnavailable: ReadonlySet<string> = new Set()): unknown {
  if (!isExternalCallError(error)) return error;
  if (UNAVAILABLE_CODES.has(error.code) || alsoUnavailable.has(error.code)) {
    return new AppError(error.code, 'unavailable', error.message, { cause: error });
  }
  if (error.kind === 'rejected') return new AppError(error.code, 'validation', error.message, { cause: error });
  return new AppError(error.code, 'transient', error.message, {
    cause: error,
    retryAfterSeconds: error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : undefined,
  });
}

/** One line for a failure, for the run's incomplete reason. */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return `${error.code} (${error.message})`;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
