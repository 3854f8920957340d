import { hashSessionId, newSessionId, sameSecret, SessionCrypto } from './session-crypto';

describe('session crypto', () => {
  const crypto = new SessionCrypto('k'.repeat(32));

  it('seals a token so that only the same key and row open it', () => {
    const sealed = crypto.seal('eyJ.access.token', 'row-1');
    expect(sealed.toString('utf8')).not.toContain('access');
    expect(crypto.open(sealed, 'row-1')).toBe('eyJ.access.token');
    expect(() => crypto.open(sealed, 'row-2')).toThrow();
    expect(() => new SessionCrypto('x'.repeat(32)).open(sealed, 'row-1')).toThrow();
  });

  it('makes 32-byte random ids and stores only their hash', () => {
    const id = newSessionId();
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(hashSessionId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionId(id)).not.toContain(id);
  });

  it('compares CSRF tokens exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
