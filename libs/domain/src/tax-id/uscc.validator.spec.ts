import {
  checkTaxNo,
  isAcceptableTaxNo,
  isValidUscc,
  USCC_CHARSET,
  USCC_WEIGHTS,
  usccCheckDigit,
  withUsccCheckDigit,
} from './uscc.validator';

describe('USCC check digit (GB 32100-2015)', () => {
  it('uses the published weights 3^i mod 31', () => {
    expect(USCC_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    expect(USCC_CHARSET).toHaveLength(31);
    expect(USCC_CHARSET).not.toMatch(/[IOSVZ]/);
  });

  it.each([
    '91350100M000100Y43', // the standard's own worked example
    '91440300708461136T',
    '9144030071526726XG',
    '91310000132206289R',
    '91110108551385082Q',
    '91110000802100433B',
  ])('accepts the published code %s', (code) => {
    expect(checkTaxNo(code)).toEqual({ status: 'valid' });
    expect(isValidUscc(code)).toBe(true);
  });

  it.each([
    ['91440300MA5F8Q2K7', '7'],
    ['91310115MA1K4B9X3', 'U'],
    ['91110108MA01C3RT5', 'P'],
    ['12100000400010227', 'P'],
    ['52110000500016318', '6'],
  ])('computes the check digit of %s as %s', (first17, check) => {
    expect(usccCheckDigit(first17)).toBe(check);
    expect(isValidUscc(withUsccCheckDigit(first17))).toBe(true);
  });

  it('covers the "0" check (sum ≡ 0 mod 31) without returning an out-of-range character', () => {
    // Search a family of codes for one whose weighted sum is a multiple of 31.
    const base = '9111000010000000';
    const hit = USCC_CHARSET.split('')
      .map((c) => base + c)
      .find((first17) => usccCheckDigit(first17) === '0');
    expect(hit).toBeDefined();
    expect(checkTaxNo(`${hit}0`).status).toBe('valid');
  });

  it('reports a wrong check digit as a warning-level mismatch with the expected digit', () => {
    expect(checkTaxNo('91350100M000100Y44')).toEqual({
      status: 'check-digit-mismatch',
      expectedCheckDigit: '3',
    });
    expect(isAcceptableTaxNo('91350100M000100Y44')).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
  });

  it('treats an empty id as malformed and a 17-character truncated USCC as a legacy-length id', () => {
    expect(checkTaxNo('').status).toBe('invalid-format');
    expect(checkTaxNo('91350100M000100Y4').status).toBe('legacy');
  });

  it.each([
    '91350100m000100y43', // lower case
    '91350100M000100Y4O', // O is not in the charset
    'I1350100M000100Y43', // I is not in the charset
    '913501A0M000100Y43', // positions 3-8 must be digits
    '91350100M000100Y43 ',
    '91350100-M000100Y4',
    '9135010000000000000', // 19 characters
    '1234567890123', // 13 characters
  ])('rejects the malformed %j', (value) => {
    expect(checkTaxNo(value).status).toBe('invalid-format');
    expect(isAcceptableTaxNo(value)).toBe(false);
  });

  it.each([
    '440301708461136', // 15: area + organisation code
    '44030119800101123', // 17: 15-digit personal id + 2
    '4403011980010112342X', // 20 characters
    '44030119800101234X01',
  ])('recognises the legacy taxpayer id %s', (value) => {
    expect(checkTaxNo(value)).toEqual({ status: 'legacy' });
    expect(isAcceptableTaxNo(value)).toBe(true);
  });

  it('refuses to compute a check digit from bad input', () => {
    expect(() => usccCheckDigit('9135010')).toThrow(expect.objectContaining({ code: 'USCC_FORMAT' }));
    expect(() => usccCheckDigit('91350100M000100YI')).toThrow(
      expect.objectContaining({ code: 'USCC_FORMAT' }),
    );
  });

  it('never throws on a non-string at run time', () => {
    expect(checkTaxNo(42 as unknown as string).status).toBe('invalid-format');
  });
});
