import { isAppError, isDependencyUnavailable, isRetriableDatabaseError } from '@lib/common';

/**
 * What to do when a handler fails:
 * - poison: this message can never succeed (bad input, broken invariant): DLQ now, move on;
 * - transient: may succeed if tried again: retry with backoff, DLQ after the last attempt;
 * - unavailable: a dependency is down, the message is fine: retry without limit (the whole
 *   consumer is stuck until the dependency returns; DLQ-ing would only move the outage into the DLQ).
 */
export type FailureClass = 'poison' | 'transient' | 'unavailable';

export function classifyFailure(error: unknown): FailureClass {
  if (isAppError(error)) {
    switch (error.kind) {
      case 'unavailable':
        return 'unavailable';
      case 'transient':
      case 'rate_limited':
      case 'internal':
        return 'transient';
      default:
        return 'poison';
    }
  }
  if (isDependencyUnavailable(error)) return 'unavailable';
  if (isRetriableDatabaseError(error)) return 'transient';
  // A database constraint or data error will fail the same way every time.
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | undefined)?.driverError?.code ??
    (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^(22|23)/.test(code)) return 'poison';
  return 'transient';
}

export function describeError(error: unknown): { code: string; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    code: typeof code === 'string' ? `ERR_${code}` : 'HANDLER_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
}
