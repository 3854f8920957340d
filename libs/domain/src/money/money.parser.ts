import { MoneyErrorCode, MoneyFormatException } from './money.exception';

/**
 * Money on the wire is a decimal string of yuan with at most two places ("123.40", "-5", "0.06"); in code it is an
 * integer number of fen (分) held in a `bigint`. JavaScript numbers are never involved, so no float rounding can creep in.
 */
export type Fen = bigint;

/** numeric(18,2) in PostgreSQL: at most 16 digits before the point. */
export const MAX_MONEY_FEN: Fen = 10n ** 18n - 1n;

const DECIMAL_SHAPE = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export type MoneyParseResult = { ok: true; fen: Fen } | { ok: false; code: MoneyErrorCode; message: string };

export function tryParseMoney(input: unknown): MoneyParseResult {
  if (typeof input !== 'string') {
    const kind = input === null ? 'null' : typeof input;
    return fail('MONEY_NOT_STRING', `money must be a decimal string such as "123.40", not ${kind}`);
  }
  if (!DECIMAL_SHAPE.test(input)) {
    return fail(
      'MONEY_FORMAT',
      `"${truncate(input)}" is not a decimal amount (digits, an optional minus and up to 2 decimals; no exponent, blanks or leading zeros)`,
    );
  }
  const negative = input.startsWith('-');
  const [whole, fraction = ''] = (negative ? input.slice(1) : input).split('.');
  if (fraction.length > 2) {
    return fail('MONEY_TOO_PRECISE', `"${truncate(input)}" has more than 2 decimal places`);
  }
  const magnitude = BigInt(whole + fraction.padEnd(2, '0'));
  if (magnitude > MAX_MONEY_FEN) {
    return fail(
      'MONEY_OUT_OF_RANGE',
      `"${truncate(input)}" exceeds the largest amount (16 digits before the point)`,
    );
  }
  return { ok: true, fen: negative ? -magnitude : magnitude };
}

/** Parses a decimal yuan string into fen; throws `MoneyFormatException` with a stable code. */
export function parseMoney(input: string): Fen {
  const result = tryParseMoney(input);
  if (!result.ok) throw new MoneyFormatException(result.code, result.message);
  return result.fen;
}

export function isMoneyString(input: unknown): input is string {
  return tryParseMoney(input).ok;
}

/** Formats fen as a yuan string with exactly two decimals: 12340n → "123.40", -5n → "-0.05". */
export function formatMoney(fen: Fen): string {
  const negative = fen < 0n;
  const digits = (negative ? -fen : fen).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function fail(code: MoneyErrorCode, message: string): MoneyParseResult {
  return { ok: false, code, message };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
