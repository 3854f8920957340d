/**
 * Every code the device gateway answers with, in `AppError`s and in the details it writes itself. The strings are
 * the wire protocol of the devices and the admin API: add codes, never rename one.
 */
export const GatewayErrorCode = {
  // a device request refused as unauthenticated (401): one code per reason, see auth/device-auth.errors.ts
  MISSING_AUTH_HEADERS: 'MISSING_AUTH_HEADERS',
  BAD_NONCE_FORMAT: 'BAD_NONCE_FORMAT',
  BAD_TIMESTAMP: 'BAD_TIMESTAMP',
  CLOCK_SKEW: 'CLOCK_SKEW',
  UNKNOWN_DEVICE: 'UNKNOWN_DEVICE',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  DEVICE_SUSPENDED: 'DEVICE_SUSPENDED',
  DEVICE_RETIRED: 'DEVICE_RETIRED',
  NONCE_REPLAYED: 'NONCE_REPLAYED',
  RATE_LIMITED: 'RATE_LIMITED',
  // ingest
  INVALID_BODY: 'INVALID_BODY',
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  EMPTY_BATCH: 'EMPTY_BATCH',
  TOO_MANY_ITEMS: 'TOO_MANY_ITEMS',
  DEVICE_MISMATCH: 'DEVICE_MISMATCH',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  DUPLICATE_INVOICE_KEY: 'DUPLICATE_INVOICE_KEY',
  // device administration
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_CURSOR: 'INVALID_CURSOR',
  FORBIDDEN: 'FORBIDDEN',
  DEVICE_NOT_FOUND: 'DEVICE_NOT_FOUND',
  DEVICE_NO_REQUIRED: 'DEVICE_NO_REQUIRED',
  DATE_IN_FUTURE: 'DATE_IN_FUTURE',
  UNKNOWN_REPLACEMENT: 'UNKNOWN_REPLACEMENT',
  // the store is down: the device keeps its data and retries
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];
