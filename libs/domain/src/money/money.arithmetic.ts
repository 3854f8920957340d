import { absBig, divideRoundHalfUp } from './decimal.parser';
import { Fen } from './money.parser';
import { parseRate, Rate } from './rate.parser';

export function addMoney(a: Fen, b: Fen): Fen {
  return a + b;
}

export function subtractMoney(a: Fen, b: Fen): Fen {
  return a - b;
}

export function sumMoney(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function compareMoney(a: Fen, b: Fen): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function absMoney(value: Fen): Fen {
  return absBig(value);
}

export function negateMoney(value: Fen): Fen {
  return -value;
}

/**
 * `fen × rate`, rounded half up to the fen (half away from zero for negative amounts, so a red invoice's tax is the
 * exact mirror of its original's). Exact: the product is computed on integers.
 */
export function multiplyByRate(fen: Fen, rate: Rate | string): Fen {
  const { numerator, denominator } = typeof rate === 'string' ? parseRate(rate) : rate;
  return divideRoundHalfUp(fen * numerator, denominator);
}

/**
 * Whether a line's tax is within `toleranceFen` of amount × rate, compared exactly (no intermediate rounding).
 * The authority accepts a difference of up to 0.06 yuan per line.
 */
export function isTaxWithinTolerance(
  amount: Fen,
  rate: Rate | string,
  tax: Fen,
  toleranceFen: Fen = 6n,
): boolean {
  const { numerator, denominator } = typeof rate === 'string' ? parseRate(rate) : rate;
  return absBig(tax * denominator - amount * numerator) <= toleranceFen * denominator;
}
