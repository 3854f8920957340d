import { formatMoney, isMoneyString, MAX_MONEY_FEN, parseMoney, tryParseMoney } from './money.parser';
import { MoneyFormatException } from './money.exception';

describe('money parsing', () => {
  it.each([
    ['0', 0n],
    ['0.00', 0n],
    ['5', 500n],
    ['123.4', 12340n],
    ['123.40', 12340n],
    ['4483.22', 448322n],
    ['0.06', 6n],
    ['-0.05', -5n],
    ['-5000.00', -500000n],
    ['-0', 0n],
    ['9999999999999999.99', MAX_MONEY_FEN],
  ])('parses %s as %s fen', (text, fen) => {
    expect(parseMoney(text)).toBe(fen);
  });

  it.each([
    ['', 'MONEY_FORMAT'],
    [' ', 'MONEY_FORMAT'],
    [' 12.00', 'MONEY_FORMAT'],
    ['12.00 ', 'MONEY_FORMAT'],
    ['1e3', 'MONEY_FORMAT'],
    ['1.5E2', 'MONEY_FORMAT'],
    ['+12', 'MONEY_FORMAT'],
    ['12.', 'MONEY_FORMAT'],
    ['.5', 'MONEY_FORMAT'],
    ['012.00', 'MONEY_FORMAT'],
    ['1,000.00', 'MONEY_FORMAT'],
    ['¥12', 'MONEY_FORMAT'],
    ['NaN', 'MONEY_FORMAT'],
    ['Infinity', 'MONEY_FORMAT'],
    ['--1', 'MONEY_FORMAT'],
    ['0x10', 'MONEY_FORMAT'],
    ['１２', 'MONEY_FORMAT'],
    ['12.345', 'MONEY_TOO_PRECISE'],
    ['0.001', 'MONEY_TOO_PRECISE'],
    ['10000000000000000', 'MONEY_OUT_OF_RANGE'],
    ['-10000000000000000.00', 'MONEY_OUT_OF_RANGE'],
  ])('rejects %j with %s', (text, code) => {
    const result = tryParseMoney(text);
    expect(result).toMatchObject({ ok: false, code });
    expect(() => parseMoney(text)).toThrow(MoneyFormatException);
  });

  it.each([[12.5], [12], [null], [undefined], [{}], [12n]])(
    'rejects the non-string %p with MONEY_NOT_STRING',
    (value) => {
      expect(tryParseMoney(value)).toMatchObject({ ok: false, code: 'MONEY_NOT_STRING' });
      expect(isMoneyString(value)).toBe(false);
    },
  );

  it('throws an exception carrying the code and never retriable', () => {
    try {
      parseMoney('1.999');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(MoneyFormatException);
      expect((error as MoneyFormatException).code).toBe('MONEY_TOO_PRECISE');
      expect((error as MoneyFormatException).retriable).toBe(false);
    }
  });

  it('truncates a very long input in the message', () => {
    const result = tryParseMoney('9'.repeat(200) + 'x');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(200);
  });
});

describe('formatMoney', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [40n, '0.40'],
    [12340n, '123.40'],
    [-500000n, '-5000.00'],
    [MAX_MONEY_FEN, '9999999999999999.99'],
  ])('formats %s fen as %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  it('round-trips every value it formats', () => {
    for (const fen of [0n, 1n, -1n, 99n, 100n, 101n, 123456789n, -987654321n]) {
      expect(parseMoney(formatMoney(fen))).toBe(fen);
    }
  });
});
