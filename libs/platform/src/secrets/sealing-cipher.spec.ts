import { randomBytes } from 'node:crypto';
import { AppError } from '@lib/common';
import { MasterKeyRing } from './master-key-ring';
import { SealedValue, SealingCipher } from './sealing-cipher';

const KEYS = { old: randomBytes(32), new: randomBytes(32) };
const NAMES = {
  keysVariable: 'TEST_MASTER_KEYS',
  contents: 'test values',
  describe: (aad: string) => `the value of ${aad}`,
};
const cipherOf = (active: keyof typeof KEYS, ...ids: (keyof typeof KEYS)[]) =>
  new SealingCipher(
    { keys: new Map(ids.map((id) => [id, KEYS[id]])), activeKeyId: active } satisfies MasterKeyRing,
    NAMES,
  );
const PLAIN = Buffer.from('access-token-0123456789abcdef', 'utf8');

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`);
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('SealingCipher (shared AES-256-GCM under a master key ring)', () => {
  const cipher = cipherOf('old', 'old');

  it('opens what it sealed with the same AAD; the ciphertext does not contain the plaintext', () => {
    const sealed = cipher.seal('baiwang:app#access', PLAIN);
    expect(sealed).toMatchObject({ keyId: 'old' });
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.ciphertext.includes(PLAIN)).toBe(false);
    expect(cipher.open('baiwang:app#access', sealed).equals(PLAIN)).toBe(true);
  });

  it('fails on a wrong AAD (a value moved to another row or column), naming the value, never its content', () => {
    const sealed = cipher.seal('baiwang:app#access', PLAIN);
    for (const aad of ['baiwang:app#refresh', 'nuonuo:app#access', '']) {
      const error = errorOf(() => cipher.open(aad, sealed));
      expect(error.code).toBe('SECRET_UNREADABLE');
      expect(error.message).toBe(`the value of ${aad} cannot be decrypted`);
      expect(error.message).not.toContain(PLAIN.toString());
    }
  });

  it('fails on a truncated tag: the tag length is pinned to 16 bytes when opening', () => {
    const sealed = cipher.seal('k', PLAIN);
    for (const length of [4, 8, 12, 13, 15]) {
      const truncated: SealedValue = { ...sealed, tag: sealed.tag.subarray(0, length) };
      expect(errorOf(() => cipher.open('k', truncated)).code).toBe('SECRET_UNREADABLE');
    }
    // A longer tag is no better.
    const padded: SealedValue = { ...sealed, tag: Buffer.concat([sealed.tag, Buffer.alloc(1)]) };
    expect(errorOf(() => cipher.open('k', padded)).code).toBe('SECRET_UNREADABLE');
  });

  it('fails on a changed ciphertext or IV', () => {
    const sealed = cipher.seal('k', PLAIN);
    const ciphertext = Buffer.from(sealed.ciphertext);
    ciphertext[3] ^= 0x10;
    const iv = Buffer.from(sealed.iv);
    iv[0] ^= 0x01;
    expect(errorOf(() => cipher.open('k', { ...sealed, ciphertext })).code).toBe('SECRET_UNREADABLE');
    expect(errorOf(() => cipher.open('k', { ...sealed, iv })).code).toBe('SECRET_UNREADABLE');
  });

  it('answers a clear error for a key id that is not in the ring, without key material', () => {
    const sealed = cipherOf('new', 'new').seal('k', PLAIN);
    expect(cipher.hasKey('new')).toBe(false);
    const error = errorOf(() => cipher.open('k', sealed));
    expect(error.code).toBe('SECRET_KEY_UNAVAILABLE');
    expect(error.message).toBe('master key "new" is not configured');
    expect(error.message).not.toContain(KEYS.new.toString('base64'));
  });

  it('fails when a key id names a different key than the one that sealed', () => {
    const sealed = cipher.seal('k', PLAIN);
    const impostor = new SealingCipher({ keys: new Map([['old', KEYS.new]]), activeKeyId: 'old' }, NAMES);
    expect(errorOf(() => impostor.open('k', sealed)).code).toBe('SECRET_UNREADABLE');
  });

  it('opens values under an older key and re-seals them under the active one', () => {
    const old = cipher.seal('k', PLAIN);
    const rotated = cipherOf('new', 'old', 'new');
    expect(rotated.open('k', old).equals(PLAIN)).toBe(true);
    const resealed = rotated.reseal('k', old);
    expect(resealed?.keyId).toBe('new');
    expect(rotated.reseal('k', resealed!)).toBeNull();
    expect(cipherOf('new', 'new').open('k', resealed!).equals(PLAIN)).toBe(true);
  });

  it('without keys, refuses to seal or open, naming the variable', () => {
    const none = new SealingCipher(null, NAMES);
    expect(none.configured).toBe(false);
    expect(none.hasKey('old')).toBe(false);
    const error = errorOf(() => none.seal('k', PLAIN));
    expect(error.code).toBe('SECRET_STORE_DISABLED');
    expect(error.message).toBe('test values cannot be used: TEST_MASTER_KEYS is not set');
    expect(errorOf(() => none.open('k', cipher.seal('k', PLAIN))).code).toBe('SECRET_STORE_DISABLED');
    expect(errorOf(() => none.assertConfigured()).code).toBe('SECRET_STORE_DISABLED');
    expect(() => cipher.assertConfigured()).not.toThrow();
  });
});
