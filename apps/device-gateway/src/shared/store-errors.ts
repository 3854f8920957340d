import { AppError, isAppError, isDependencyUnavailable } from '@lib/common';
import { GatewayErrorCode } from '../gateway-error-codes';

export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Turns "PostgreSQL is unreachable" (connection refused, pool timeout, shutdown) into the 503 the device must see:
 * it keeps its data and retries. Anything else passes through unchanged.
 */
export function asStoreError(error: unknown): unknown {
  if (isAppError(error) || !isDependencyUnavailable(error)) return error;
  return new AppError(
    GatewayErrorCode.STORE_UNAVAILABLE,
    'unavailable',
    'the store is unavailable; nothing was accepted, retry later',
    {
      retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
      cause: error,
    },
  );
}
