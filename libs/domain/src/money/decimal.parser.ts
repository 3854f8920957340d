/**
 * An exact decimal: `units / 10^scale`. Used for quantities, unit prices and tax rates, which may carry more places
 * than money. Parsing is strict: an optional minus, digits without leading zeros, an optional fraction; no exponent,
 * no plus sign, no blanks.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export function tryParseDecimal(value: unknown, maxScale = 20): Decimal | null {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) return null;
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  if (fraction.length > maxScale) return null;
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** Scales a decimal's units to a larger scale without losing anything. */
export function unitsAtScale(value: Decimal, scale: number): bigint {
  if (scale < value.scale) throw new RangeError('cannot reduce the scale of a decimal exactly');
  return value.units * pow10(scale - value.scale);
}

/** Divides and rounds half away from zero, so that a negative (red) amount mirrors its positive original. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

export function absBig(value: bigint): bigint {
  return value < 0n ? -value : value;
}
