import { BUYER_NAME_IGNORED_CODE_POINTS, buyerNameKey, buyerTaxNoKey, sameBuyerName } from './buyer-identity';

describe('buyerNameKey', () => {
  it('makes full-width ASCII half-width, Latin capitals small', () => {
    expect(buyerNameKey('ＡＢＣ１２３（）')).toBe('abc123()');
    expect(buyerNameKey('ＡＢＣ１２３（）')).toBe(buyerNameKey('ABC123()'));
    // the ends of the full-width block: ！ (U+FF01) → !, ～ (U+FF5E) → ~
    expect(buyerNameKey('！～')).toBe('!~');
  });

  it('removes the ideographic space and every whitespace run, wherever it is', () => {
    expect(buyerNameKey('深圳市　示例\t科技 有限公司\n')).toBe('深圳市示例科技有限公司');
    expect(buyerNameKey(' A  B ')).toBe('ab');
    for (const cp of BUYER_NAME_IGNORED_CODE_POINTS)
      expect(buyerNameKey(`x${String.fromCodePoint(cp)}y`)).toBe('xy');
  });

  it('keeps what is not full-width ASCII, whitespace or a Latin capital', () => {
    // full-width yen and cent signs (U+FFE5, U+FFE0) are outside the ASCII block; Greek and Cyrillic keep their case
    expect(buyerNameKey('￥￠ΣЖ')).toBe('￥￠ΣЖ');
    // the zero-width space is not whitespace: it is a difference a person should see
    expect(buyerNameKey('a\u200bb')).toBe('a\u200bb');
    // astral characters survive whole
    expect(buyerNameKey('𠀀有限公司')).toBe('𠀀有限公司');
    expect(buyerNameKey('')).toBe('');
  });

  it('keeps null as null', () => {
    expect(buyerNameKey(null)).toBeNull();
    expect(buyerNameKey(undefined)).toBeNull();
  });

  it('tells spacing and width from another name', () => {
    expect(sameBuyerName('上海浦东示例贸易有限公司', '上海浦东 示例贸易有限公司')).toBe(true);
    expect(sameBuyerName('Acme（Shanghai）Co', 'ACME (shanghai) co')).toBe(true);
    expect(sameBuyerName('上海浦东示例贸易有限公司', '上海浦西示例贸易有限公司')).toBe(false);
    expect(sameBuyerName(null, '上海浦西示例贸易有限公司')).toBe(true);
  });
});

describe('buyerTaxNoKey', () => {
  it('trims and upper-cases', () => {
    expect(buyerTaxNoKey(' 91310115ma1h0xxx2b\u3000')).toBe('91310115MA1H0XXX2B');
    expect(buyerTaxNoKey('91310115MA1H0XXX2B')).toBe('91310115MA1H0XXX2B');
  });

  it('keeps inner characters as they are (a space inside a tax number is a different number)', () => {
    expect(buyerTaxNoKey('9131 0115')).toBe('9131 0115');
  });

  it('treats nothing but whitespace as no tax number', () => {
    expect(buyerTaxNoKey('  \t')).toBeNull();
    expect(buyerTaxNoKey('')).toBeNull();
    expect(buyerTaxNoKey(null)).toBeNull();
  });
});
