import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { NONCE_PATTERN, stringToSign } from '@lib/device-client';
import { GatewayErrorCode } from '../gateway-error-codes';
import { deviceAuthError } from './device-auth.errors';

export interface AuthHeaders {
  deviceId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

const HEADER_NAMES: Record<keyof AuthHeaders, string> = {
  deviceId: 'x-device-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
};
const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE_BYTES = 32;

/** Reads the four headers, or refuses naming every missing one. Then the stateless checks: nonce and timestamp format. */
export function readAuthHeaders(headers: IncomingHttpHeaders): AuthHeaders {
  const values: Partial<AuthHeaders> = {};
  const missing: string[] = [];
  for (const [field, name] of Object.entries(HEADER_NAMES) as [keyof AuthHeaders, string][]) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (value === undefined || value.trim() === '') missing.push(name);
    else values[field] = value.trim();
  }
  if (missing.length > 0) {
    throw deviceAuthError(
      GatewayErrorCode.MISSING_AUTH_HEADERS,
      `missing ${missing.join(', ')}`,
      missing.map((name) => ({ code: 'REQUIRED', field: name, message: 'is required' })),
    );
  }
  const auth = values as AuthHeaders;
  if (!NONCE_PATTERN.test(auth.nonce)) throw deviceAuthError(GatewayErrorCode.BAD_NONCE_FORMAT);
  if (!TIMESTAMP.test(auth.timestamp)) throw deviceAuthError(GatewayErrorCode.BAD_TIMESTAMP);
  return auth;
}

/** The timestamp must lie within ±skew of the server clock: older requests cannot be replayed once their nonce expired. */
export function checkClockSkew(timestampMs: number, nowMs: number, skewMs: number): void {
  if (Math.abs(nowMs - timestampMs) > skewMs) {
    throw deviceAuthError(
      GatewayErrorCode.CLOCK_SKEW,
      `X-Timestamp is ${Math.round((nowMs - timestampMs) / 1000)} s off; at most ${skewMs / 1000} s allowed`,
    );
  }
}

/**
 * When a request's nonce may be forgotten (expired once `expires_at <= now`): the first millisecond at which its
 * timestamp is outside the window. A request is acceptable up to `timestamp + skew` inclusive, so its nonce must be
 * kept past that instant, or a replay at exactly the edge would find the nonce expired and take it over.
 */
export function nonceExpiry(timestampMs: number, skewMs: number): number {
  return timestampMs + skewMs + 1;
}

export interface SignedRequest {
  method: string;
  pathAndQuery: string;
  body: Buffer;
}

/** Compares in constant time; a signature that is not 32 bytes of base64 is simply wrong. */
export function isSignatureValid(secret: Buffer, auth: AuthHeaders, request: SignedRequest): boolean {
  const presented = Buffer.from(auth.signature, 'base64');
  if (presented.length !== SIGNATURE_BYTES) return false;
  const expected = createHmac('sha256', secret)
    .update(stringToSign({ ...request, timestamp: auth.timestamp, nonce: auth.nonce }))
    .digest();
  return timingSafeEqual(presented, expected);
}
