import { randomBytes } from 'node:crypto';
import { parseMasterKeys } from './master-key-ring';

const key = () => randomBytes(32).toString('base64');

describe('parseMasterKeys', () => {
  it('reads `id:<base64 of 32 bytes>` entries; one key is active by itself', () => {
    const material = key();
    const parsed = parseMasterKeys(` k1:${material} `, '', 'X_ACTIVE_KEY_ID');
    expect(parsed.ok && parsed.ring?.activeKeyId).toBe('k1');
    expect(parsed.ok && parsed.ring?.keys.get('k1')?.equals(Buffer.from(material, 'base64'))).toBe(true);
  });

  it('is null (no keys) for an empty value', () => {
    expect(parseMasterKeys('  ', '', 'X_ACTIVE_KEY_ID')).toEqual({ ok: true, ring: null });
  });

  it.each([
    [`k1:${key()},k2:${key()}`, '', 'several keys are given: X_ACTIVE_KEY_ID must name one'],
    [`k1:${key()}`, 'k9', 'X_ACTIVE_KEY_ID "k9" is not among the keys'],
    [`k1:${key()},k1:${key()}`, 'k1', 'key id "k1" appears twice'],
    ['k1:c2hvcnQ=', '', 'key "k1" must be 32 bytes, base64-encoded'],
    [key(), '', 'entry 1: expected <id>:<base64 key>, id of [A-Za-z0-9_.-]'],
  ])(
    'names the problem of %#, with the caller’s variable and never the key material',
    (spec, active, problem) => {
      const parsed = parseMasterKeys(spec, active, 'X_ACTIVE_KEY_ID');
      expect(parsed).toEqual({ ok: false, problem });
    },
  );
});
