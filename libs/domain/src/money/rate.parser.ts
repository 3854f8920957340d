import { DomainException } from '../common/domain.exception';
import { tryParseDecimal } from './decimal.parser';

/** A tax rate as an exact fraction, e.g. "0.13" → 13/100. `text` is the normalised form used as a table key. */
export interface Rate {
  numerator: bigint;
  denominator: bigint;
  text: string;
}

/** Rates are written as decimal fractions between 0 and 1 ("0.13", "0.015", "0"); never as percentages. */
export function tryParseRate(input: unknown): Rate | null {
  const decimal = tryParseDecimal(input, 6);
  if (!decimal || decimal.units < 0n) return null;
  const denominator = 10n ** BigInt(decimal.scale);
  if (decimal.units > denominator) return null;
  return { numerator: decimal.units, denominator, text: normaliseRateText(decimal.units, decimal.scale) };
}

export function parseRate(input: string): Rate {
  const rate = tryParseRate(input);
  if (!rate)
    throw new DomainException('RATE_FORMAT', `"${input}" is not a tax rate between 0 and 1 such as "0.13"`);
  return rate;
}

function normaliseRateText(units: bigint, scale: number): string {
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
