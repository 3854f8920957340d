import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { IdSource } from '@lib/common';

/**
 * Tokens at rest: AES-256-GCM under a key derived from CONSOLE_SESSION_KEY, a fresh 12-byte IV per value (drawn
 * from the id source: a service's must be a CSPRNG, since an IV used twice under one key breaks GCM), the session id
 * hash as additional data (a ciphertext copied into another row does not decrypt there).
 * Session ids: 32 random bytes in the cookie, only their SHA-256 in the table.
 */
export class SessionCrypto {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ids: IdSource,
  ) {
    this.key = createHash('sha256').update(`invoice-console:session:${secret}`).digest();
  }

  seal(plain: string, boundTo: string): Buffer {
    const iv = this.ids.bytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, boundTo: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  }
}

export const newSessionId = (ids: IdSource): string => ids.token(32);
export const newCsrfToken = (ids: IdSource): string => ids.token(32);
export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

/** Constant-time comparison of two strings (different lengths compare unequal without leaking where). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
