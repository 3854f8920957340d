import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export function md5HexUpper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

export function sha256Hex(data: string | Uint8Array): string {
  const hash = createHash('sha256');
  return (typeof data === 'string' ? hash.update(data, 'utf8') : hash.update(data)).digest('hex');
}

export function hmacBase64(algorithm: 'sha1' | 'sha256', key: string, text: string): string {
  return createHmac(algorithm, Buffer.from(key, 'utf8')).update(text, 'utf8').digest('base64');
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A source of integers in [0, max): crypto by default, injectable for deterministic tests. */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => randomInt(max);

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number, random: RandomInt = cryptoRandomInt): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALNUM[random(ALNUM.length)];
  return out;
}
