import { createHash, timingSafeEqual } from 'node:crypto';

/** The credential of an `Authorization: Bearer <token>` header, or null when the header is absent or of another form. */
export function bearerCredential(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null;
}

/**
 * A secret's SHA-256, kept instead of the secret so that comparisons take the same time whatever the lengths:
 * compare two with `sameDigest`.
 */
export function secretDigest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two `secretDigest`s. */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
