import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Header names of a signed device request (HTTP header names are case-insensitive). */
export const DEVICE_AUTH_HEADERS = {
  deviceId: 'X-Device-Id',
  timestamp: 'X-Timestamp',
  nonce: 'X-Nonce',
  signature: 'X-Signature',
} as const;

/** 16-64 characters of the URL-safe base64 alphabet. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface SignableRequest {
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** The request target exactly as sent: path plus `?query` when there is one, e.g. `/v1/invoices`. */
  pathAndQuery: string;
  /** Unix epoch milliseconds, as the decimal string sent in X-Timestamp. */
  timestamp: string;
  nonce: string;
  /** The exact body bytes sent (a string is taken as UTF-8); empty for a request without a body. */
  body?: Uint8Array | string;
}

/** Lower-case hex SHA-256 of the body bytes (of the empty string when there is no body). */
export function bodyDigestHex(body: Uint8Array | string = ''): string {
  return createHash('sha256').update(body).digest('hex');
}

/** METHOD \n PATH_AND_QUERY \n timestamp \n nonce \n hex(SHA-256(body)). */
export function stringToSign(request: SignableRequest): string {
  return [
    request.method.toUpperCase(),
    request.pathAndQuery,
    request.timestamp,
    request.nonce,
    bodyDigestHex(request.body),
  ].join('\n');
}

/**
 * base64(HMAC-SHA256(secret, stringToSign)). The HMAC key is the secret exactly as the gateway showed it (its
 * UTF-8 bytes), not the bytes it encodes: vendors copy a string, and a string is what they should paste.
 */
export function computeSignature(secret: string | Uint8Array, request: SignableRequest): string {
  return createHmac('sha256', secret).update(stringToSign(request)).digest('base64');
}

/** A fresh nonce: 18 random bytes, base64url (24 characters). */
export function generateNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface SignOptions {
  deviceId: string;
  secret: string;
  method: string;
  pathAndQuery: string;
  body?: Uint8Array | string;
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
  nonce?: string;
}

/** The four authentication headers for one request. */
export function signedHeaders(options: SignOptions): Record<string, string> {
  const timestamp = String(options.now ?? Date.now());
  const nonce = options.nonce ?? generateNonce();
  const signature = computeSignature(options.secret, {
    method: options.method,
    pathAndQuery: options.pathAndQuery,
    timestamp,
    nonce,
    body: options.body,
  });
  return {
    [DEVICE_AUTH_HEADERS.deviceId]: options.deviceId,
    [DEVICE_AUTH_HEADERS.timestamp]: timestamp,
    [DEVICE_AUTH_HEADERS.nonce]: nonce,
    [DEVICE_AUTH_HEADERS.signature]: signature,
  };
}
