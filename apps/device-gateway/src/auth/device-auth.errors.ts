import { AppError, ErrorDetail } from '@lib/common';
import { gatewayMetrics } from '../metrics/gateway-metrics';

/** Every reason a device request is refused as unauthenticated (401), one code each. */
export const DEVICE_AUTH_CODES = {
  MISSING_AUTH_HEADERS: 'X-Device-Id, X-Timestamp, X-Nonce and X-Signature are required',
  BAD_NONCE_FORMAT: 'X-Nonce must be 16-64 characters of [A-Za-z0-9_-]',
  BAD_TIMESTAMP: 'X-Timestamp must be Unix epoch milliseconds',
  CLOCK_SKEW: 'X-Timestamp is too far from the server time',
  UNKNOWN_DEVICE: 'no device with this id',
  BAD_SIGNATURE: 'the signature does not match the request',
  DEVICE_SUSPENDED: 'the device is suspended; an administrator can enable it again',
  DEVICE_RETIRED: 'the device is retired for good',
  NONCE_REPLAYED: 'this nonce was already used',
} as const;

export type DeviceAuthCode = keyof typeof DEVICE_AUTH_CODES;

/** The refusal for a device that is not active, by status. */
export const REFUSED_STATUS_CODES = {
  suspended: 'DEVICE_SUSPENDED',
  retired: 'DEVICE_RETIRED',
} as const satisfies Record<string, DeviceAuthCode>;

/** Builds the 401 and counts it (one place, so the metric cannot drift from the answers). */
export function deviceAuthError(
  code: DeviceAuthCode,
  message?: string,
  details: ErrorDetail[] = [],
): AppError {
  gatewayMetrics.authFailure(code);
  return new AppError(code, 'unauthorized', message ?? DEVICE_AUTH_CODES[code], { details });
}
