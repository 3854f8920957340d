import { hmacBase64, randomAlnum, safeEqual, sha256Hex, type RandomInt } from '../shared/crypto.util';

/** Header names of the authority's direct-connection (乐企-style) API, lower-cased as Node exposes them. */
export const AUTHORITY_HEADERS = {
  appId: 'x-app-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

export const AUTHORITY_SKEW_MS = 300_000;
export const AUTHORITY_NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface AuthoritySignInput {
  /** Upper-cased before signing. */
  method: string;
  /** Path and query exactly as sent on the request line, e.g. `/v1/taxpayers/X/invoices?period=2024-05`. */
  pathAndQuery: string;
  /** Unix epoch milliseconds, as sent in X-Timestamp. */
  timestamp: string;
  nonce: string;
  /** Raw body bytes (or the exact string sent); empty for GET. */
  body: string | Uint8Array;
}

/** METHOD \n PATH_AND_QUERY \n timestamp \n nonce \n hex(SHA-256(body)). */
export function authorityStringToSign(input: AuthoritySignInput): string {
  return [
    input.method.toUpperCase(),
    input.pathAndQuery,
    input.timestamp,
    input.nonce,
    sha256Hex(input.body),
  ].join('\n');
}

/** X-Signature = base64( HMAC-SHA256( appSecret, stringToSign ) ). */
export function authoritySign(appSecret: string, input: AuthoritySignInput): string {
  return hmacBase64('sha256', appSecret, authorityStringToSign(input));
}

export interface AuthorityRequestInput {
  appId: string;
  appSecret: string;
  method: string;
  pathAndQuery: string;
  body?: string | Uint8Array;
  timestamp?: number;
  nonce?: string;
  random?: RandomInt;
}

/** The four headers of a signed authority call. */
export function signAuthorityRequest(input: AuthorityRequestInput): Record<string, string> {
  const timestamp = String(input.timestamp ?? Date.now());
  const nonce = input.nonce ?? randomAlnum(24, input.random);
  const signature = authoritySign(input.appSecret, {
    method: input.method,
    pathAndQuery: input.pathAndQuery,
    timestamp,
    nonce,
    body: input.body ?? '',
  });
  return {
    [AUTHORITY_HEADERS.appId]: input.appId,
    [AUTHORITY_HEADERS.timestamp]: timestamp,
    [AUTHORITY_HEADERS.nonce]: nonce,
    [AUTHORITY_HEADERS.signature]: signature,
  };
}

export type AuthorityVerifyFailure =
  'MISSING_HEADERS' | 'BAD_TIMESTAMP' | 'CLOCK_SKEW' | 'BAD_NONCE' | 'BAD_SIGNATURE';

export type AuthorityVerifyOutcome = { ok: true } | { ok: false; reason: AuthorityVerifyFailure };

export interface AuthorityVerifyInput {
  method: string;
  pathAndQuery: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  body: string | Uint8Array;
}

/**
 * Stateless part of the verification: headers present, timestamp within the skew, nonce format, signature.
 * Nonce replay needs state: see NonceReplayGuard.
 */
export function verifyAuthoritySignature(
  appSecret: string,
  input: AuthorityVerifyInput,
  options: { nowMs: number; skewMs?: number },
): AuthorityVerifyOutcome {
  const { timestamp, nonce, signature } = input;
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'MISSING_HEADERS' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'BAD_TIMESTAMP' };
  if (Math.abs(options.nowMs - Number(timestamp)) > (options.skewMs ?? AUTHORITY_SKEW_MS)) {
    return { ok: false, reason: 'CLOCK_SKEW' };
  }
  if (!AUTHORITY_NONCE_PATTERN.test(nonce)) return { ok: false, reason: 'BAD_NONCE' };
  const expected = authoritySign(appSecret, { ...input, timestamp, nonce });
  return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'BAD_SIGNATURE' };
}
