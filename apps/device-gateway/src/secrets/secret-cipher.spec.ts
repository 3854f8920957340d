import { randomBytes } from 'node:crypto';
import { AppError, CryptoIdSource, SequenceIdSource } from '@lib/common';
import { MasterKeyRing } from './master-key-ring';
import { generateDeviceSecret, SecretCipher } from './secret-cipher';

const ring = (active: string, ...ids: string[]): MasterKeyRing => ({
  keys: new Map(ids.map((id) => [id, KEYS[id]])),
  activeKeyId: active,
});
const KEYS: Record<string, Buffer> = { k1: randomBytes(32), k2: randomBytes(32) };
const SECRET = Buffer.from(generateDeviceSecret(new CryptoIdSource()), 'utf8');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'NOT_AN_APP_ERROR';
  }
  return undefined;
}

describe('SecretCipher (AES-256-GCM)', () => {
  const cipher = new SecretCipher(ring('k1', 'k1'));

  it('round-trips a secret under the active key, with a fresh IV each time', () => {
    const a = cipher.seal('dev_1', SECRET);
    const b = cipher.seal('dev_1', SECRET);
    expect(a.keyId).toBe('k1');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.includes(SECRET)).toBe(false);
    expect(cipher.open('dev_1', a).equals(SECRET)).toBe(true);
  });

  it("binds the ciphertext to its device: another device's row does not decrypt", () => {
    const sealed = cipher.seal('dev_1', SECRET);
    expect(codeOf(() => cipher.open('dev_2', sealed))).toBe('SECRET_UNREADABLE');
  });

  it('detects tampering', () => {
    const sealed = cipher.seal('dev_1', SECRET);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] ^= 1;
    expect(codeOf(() => cipher.open('dev_1', { ...sealed, ciphertext: flipped }))).toBe('SECRET_UNREADABLE');
  });

  it('refuses a truncated tag (the tag length is pinned to 16 bytes, so a short tag cannot be guessed)', () => {
    const sealed = cipher.seal('dev_1', SECRET);
    for (const length of [4, 8, 12, 15]) {
      expect(codeOf(() => cipher.open('dev_1', { ...sealed, tag: sealed.tag.subarray(0, length) }))).toBe(
        'SECRET_UNREADABLE',
      );
    }
  });

  it('keeps old keys for reading and re-seals under the active one', () => {
    const old = cipher.seal('dev_1', SECRET);
    const rotated = new SecretCipher(ring('k2', 'k1', 'k2'));
    expect(rotated.open('dev_1', old).equals(SECRET)).toBe(true);
    const resealed = rotated.reseal('dev_1', old);
    expect(resealed?.keyId).toBe('k2');
    expect(rotated.reseal('dev_1', resealed!)).toBeNull();
    expect(new SecretCipher(ring('k2', 'k2')).open('dev_1', resealed!).equals(SECRET)).toBe(true);
    expect(codeOf(() => new SecretCipher(ring('k2', 'k2')).open('dev_1', old))).toBe(
      'SECRET_KEY_UNAVAILABLE',
    );
  });

  it('refuses to work without keys (503, not a crash)', () => {
    const none = new SecretCipher(null);
    expect(none.configured).toBe(false);
    expect(codeOf(() => none.seal('dev_1', SECRET))).toBe('SECRET_STORE_DISABLED');
  });

  it('generates 32-byte base64url secrets, drawn from the id source', () => {
    const secret = generateDeviceSecret(new CryptoIdSource());
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(generateDeviceSecret(new SequenceIdSource(3))).toBe(new SequenceIdSource(3).token(32));
  });
});
