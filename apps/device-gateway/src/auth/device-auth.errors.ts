import { AppError, ErrorDetail, isAppError } from '@lib/common';
import { GatewayErrorCode } from '../gateway-error-codes';

/** Every reason a device request is refused as unauthenticated (401), one code each, and what it says. */
export const DEVICE_AUTH_MESSAGES = {
  [GatewayErrorCode.MISSING_AUTH_HEADERS]: 'X-Device-Id, X-Timestamp, X-Nonce and X-Signature are required',
  [GatewayErrorCode.BAD_NONCE_FORMAT]: 'X-Nonce must be 16-64 characters of [A-Za-z0-9_-]',
  [GatewayErrorCode.BAD_TIMESTAMP]: 'X-Timestamp must be Unix epoch milliseconds',
  [GatewayErrorCode.CLOCK_SKEW]: 'X-Timestamp is too far from the server time',
  [GatewayErrorCode.UNKNOWN_DEVICE]: 'no device with this id',
  [GatewayErrorCode.BAD_SIGNATURE]: 'the signature does not match the request',
  [GatewayErrorCode.DEVICE_SUSPENDED]: 'the device is suspended; an administrator can enable it again',
  [GatewayErrorCode.DEVICE_RETIRED]: 'the device is retired for good',
  [GatewayErrorCode.NONCE_REPLAYED]: 'this nonce was already used',
} as const;

export type DeviceAuthCode = keyof typeof DEVICE_AUTH_MESSAGES;

/** The refusal for a device that is not active, by status. */
export const REFUSED_STATUS_CODES = {
  suspended: GatewayErrorCode.DEVICE_SUSPENDED,
  retired: GatewayErrorCode.DEVICE_RETIRED,
} as const satisfies Record<string, DeviceAuthCode>;

/** Builds the 401. Who lets it reach the caller counts it (devicePreauth, DeviceAuthGuard, DeviceWriteTransaction). */
export function deviceAuthError(
  code: DeviceAuthCode,
  message?: string,
  details: ErrorDetail[] = [],
): AppError {
  return new AppError(code, 'unauthorized', message ?? DEVICE_AUTH_MESSAGES[code], { details });
}

/** The code of a device authentication refusal (deviceAuthError), or undefined for any other error. */
export function deviceAuthCodeOf(error: unknown): DeviceAuthCode | undefined {
  return isAppError(error) && Object.hasOwn(DEVICE_AUTH_MESSAGES, error.code)
    ? (error.code as DeviceAuthCode)
    : undefined;
}
