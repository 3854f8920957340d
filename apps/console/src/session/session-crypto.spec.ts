import { CryptoIdSource, SequenceIdSource } from '@lib/common';
import { hashSessionId, newCsrfToken, newSessionId, sameSecret, SessionCrypto } from './session-crypto';

describe('session crypto', () => {
  const ids = new CryptoIdSource();
  const crypto = new SessionCrypto('k'.repeat(32), ids);

  it('seals a token so that only the same key and row open it', () => {
    const sealed = crypto.seal('eyJ.access.token', 'row-1');
    expect(sealed.toString('utf8')).not.toContain('access');
    expect(crypto.open(sealed, 'row-1')).toBe('eyJ.access.token');
    expect(() => crypto.open(sealed, 'row-2')).toThrow();
    expect(() => new SessionCrypto('x'.repeat(32), ids).open(sealed, 'row-1')).toThrow();
  });

  it('takes each IV from its id source', () => {
    const sealed = new SessionCrypto('k'.repeat(32), new SequenceIdSource(7)).seal(
      'eyJ.access.token',
      'row-1',
    );
    expect(sealed.subarray(0, 12)).toEqual(new SequenceIdSource(7).bytes(12));
    expect(crypto.open(sealed, 'row-1')).toBe('eyJ.access.token');
  });

  it('makes 32-byte random ids and stores only their hash', () => {
    const id = newSessionId(ids);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(hashSessionId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionId(id)).not.toContain(id);
  });

  it('draws session ids and CSRF tokens from its id source', () => {
    const expected = new SequenceIdSource(3);
    const source = new SequenceIdSource(3);
    expect(newSessionId(source)).toBe(expected.token(32));
    expect(newCsrfToken(source)).toBe(expected.token(32));
  });

  it('compares CSRF tokens exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
