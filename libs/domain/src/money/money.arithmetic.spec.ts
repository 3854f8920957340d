import { divideRoundHalfUp, tryParseDecimal, unitsAtScale } from './decimal.parser';
import {
  absMoney,
  addMoney,
  compareMoney,
  isTaxWithinTolerance,
  multiplyByRate,
  negateMoney,
  subtractMoney,
  sumMoney,
} from './money.arithmetic';
import { parseMoney } from './money.parser';
import { parseRate, tryParseRate } from './rate.parser';

describe('money arithmetic', () => {
  it('adds, subtracts, sums without float drift', () => {
    expect(addMoney(parseMoney('0.10'), parseMoney('0.20'))).toBe(parseMoney('0.30'));
    expect(subtractMoney(parseMoney('5000.00'), parseMoney('516.78'))).toBe(parseMoney('4483.22'));
    expect(sumMoney(['3539.82', '943.40'].map(parseMoney))).toBe(parseMoney('4483.22'));
    expect(sumMoney([])).toBe(0n);
    expect(sumMoney(new Set([1n, 2n]))).toBe(3n);
  });

  it('compares, takes absolute values and negates', () => {
    expect(compareMoney(1n, 2n)).toBe(-1);
    expect(compareMoney(2n, 2n)).toBe(0);
    expect(compareMoney(-1n, -2n)).toBe(1);
    expect(absMoney(-516n)).toBe(516n);
    expect(absMoney(516n)).toBe(516n);
    expect(negateMoney(516n)).toBe(-516n);
  });
});

describe('multiplyByRate', () => {
  it.each([
    ['3539.82', '0.13', '460.18'], // 460.1766
    ['943.40', '0.06', '56.60'], // 56.604
    ['100.00', '0.13', '13.00'],
    ['0.50', '0.13', '0.07'], // 0.065 rounds half up
    ['0.50', '0.01', '0.01'], // 0.005 rounds half up
    ['0.49', '0.01', '0.00'], // 0.0049 rounds down
    ['1234.56', '0.09', '111.11'], // 111.1104
    ['10000.00', '0.015', '150.00'],
    ['333.33', '0.005', '1.67'], // 1.66665
    ['99.99', '0', '0.00'],
    ['-0.50', '0.13', '-0.07'], // mirrors the positive case
    ['-3539.82', '0.13', '-460.18'],
  ])('%s × %s = %s', (amount, rate, tax) => {
    expect(multiplyByRate(parseMoney(amount), rate)).toBe(parseMoney(tax));
  });

  it('accepts a parsed rate', () => {
    expect(multiplyByRate(10000n, parseRate('0.13'))).toBe(1300n);
  });

  it('throws on a malformed rate', () => {
    expect(() => multiplyByRate(100n, '13%')).toThrow(expect.objectContaining({ code: 'RATE_FORMAT' }));
  });
});

describe('isTaxWithinTolerance', () => {
  const amount = parseMoney('3539.82'); // × 0.13 = 460.1766
  it.each([
    ['460.18', true],
    ['460.23', true], // +0.0534
    ['460.12', true], // -0.0566
    ['460.24', false], // +0.0634
    ['460.11', false], // -0.0666
  ])('tax %s → %s', (tax, ok) => {
    expect(isTaxWithinTolerance(amount, '0.13', parseMoney(tax))).toBe(ok);
  });

  it('is exact at the ±0.06 boundary', () => {
    expect(isTaxWithinTolerance(10000n, '0.13', 1306n)).toBe(true);
    expect(isTaxWithinTolerance(10000n, '0.13', 1307n)).toBe(false);
    expect(isTaxWithinTolerance(10000n, '0.13', 1294n)).toBe(true);
    expect(isTaxWithinTolerance(10000n, '0.13', 1293n)).toBe(false);
    expect(isTaxWithinTolerance(10000n, '0.13', 1300n, 0n)).toBe(true);
    expect(isTaxWithinTolerance(10000n, '0.13', 1301n, 0n)).toBe(false);
  });

  it('works for red (negative) lines', () => {
    expect(isTaxWithinTolerance(-amount, '0.13', parseMoney('-460.18'))).toBe(true);
    expect(isTaxWithinTolerance(-amount, '0.13', parseMoney('460.18'))).toBe(false);
  });
});

describe('rates', () => {
  it.each([
    ['0.13', '0.13'],
    ['0.130', '0.13'],
    ['0.10', '0.1'],
    ['0', '0'],
    ['0.00', '0'],
    ['0.015', '0.015'],
    ['1', '1'],
  ])('normalises %s to %s', (text, normalised) => {
    expect(parseRate(text).text).toBe(normalised);
  });

  it.each(['13%', '-0.13', '1.5', '', '0.1234567', '.13', '1e-1', null, 0.13])('rejects %p', (value) => {
    expect(tryParseRate(value)).toBeNull();
  });
});

describe('decimals', () => {
  it('parses quantities and unit prices exactly', () => {
    expect(tryParseDecimal('1769.911504')).toEqual({ units: 1769911504n, scale: 6 });
    expect(tryParseDecimal('-2')).toEqual({ units: -2n, scale: 0 });
    expect(tryParseDecimal('1.5e3')).toBeNull();
    expect(tryParseDecimal('0.1234', 3)).toBeNull();
  });

  it('rescales and rounds half away from zero', () => {
    expect(unitsAtScale({ units: 15n, scale: 1 }, 3)).toBe(1500n);
    expect(() => unitsAtScale({ units: 15n, scale: 2 }, 1)).toThrow(RangeError);
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(-5n, 10n)).toBe(-1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});
