import { bearerCredential, sameDigest, secretDigest } from './bearer';

describe('bearerCredential', () => {
  it.each([
    ['Bearer abc.def', 'abc.def'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
  ])('reads %j', (header, token) => expect(bearerCredential(header)).toBe(token));

  it.each([[undefined], [''], ['Basic abc'], ['Bearer'], ['Bearer a b'], ['Bearerabc']])(
    'refuses %j',
    (header) => expect(bearerCredential(header)).toBeNull(),
  );
});

describe('secret digests', () => {
  it('are equal for the same secret only', () => {
    expect(sameDigest(secretDigest('s3cret-token'), secretDigest('s3cret-token'))).toBe(true);
    expect(sameDigest(secretDigest('s3cret-token'), secretDigest('s3cret-tokeN'))).toBe(false);
    expect(sameDigest(secretDigest('a'), Buffer.alloc(3))).toBe(false);
  });
});
