import { CryptoIdSource, SequenceIdSource } from './id-source';

describe('IdSource', () => {
  it('draws version-4 UUIDs and tokens of the asked length from the CSPRNG, different each time', () => {
    const ids = new CryptoIdSource();
    const a = ids.uuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.uuid()).not.toBe(a);
    expect(Buffer.from(ids.token(32), 'base64url')).toHaveLength(32);
    expect(ids.token(32)).not.toBe(ids.token(32));
    expect(ids.bytes(12)).toHaveLength(12);
  });

  it('answers the same sequence for the same seed, and another for another seed', () => {
    const first = new SequenceIdSource(7);
    const again = new SequenceIdSource(7);
    const other = new SequenceIdSource(8);
    const seq = [first.uuid(), first.uuid(), first.token(8)];
    expect([again.uuid(), again.uuid(), again.token(8)]).toEqual(seq);
    expect(other.uuid()).not.toBe(seq[0]);
    expect(seq[0]).not.toBe(seq[1]);
    expect(seq[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
