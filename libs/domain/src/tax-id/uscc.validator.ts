import { DomainException } from '../common/domain.exception';

/** GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters, the last a mod-31 check character. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
/** Weight of position i (1-based i = 1..17) is 3^(i-1) mod 31. */
export const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let weight = 1;
  for (let k = 0; k < i; k += 1) weight = (weight * 3) % 31;
  return weight;
});

/**
 * Taxpayer ids that predate the USCC (old 税务登记号): 15 characters (area + organisation code), or 17/20 characters
 * built on a personal id number. They still appear on old invoices and some registrations.
 */
export const LEGACY_TAX_NO_PATTERN = /^(?:[0-9A-Z]{15}|[0-9A-Z]{17}|[0-9A-Z]{20})$/;

export type TaxNoStatus = 'valid' | 'check-digit-mismatch' | 'legacy' | 'invalid-format';

export interface TaxNoCheck {
  status: TaxNoStatus;
  /** For `check-digit-mismatch`: the check character the first 17 characters call for. */
  expectedCheckDigit?: string;
}

/** Computes the 18th character from the first 17; throws if they are not USCC characters. */
export function usccCheckDigit(first17: string): string {
  if (first17.length !== 17)
    throw new DomainException('USCC_FORMAT', 'a USCC check digit needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_CHARSET.indexOf(first17[i]);
    if (value < 0) throw new DomainException('USCC_FORMAT', `"${first17[i]}" is not a USCC character`);
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** Builds a valid USCC from its first 17 characters (tests, demos, simulators). */
export function withUsccCheckDigit(first17: string): string {
  return first17 + usccCheckDigit(first17);
}

/**
 * Classifies a taxpayer id. A wrong check digit is only a warning: a few codes issued in the real world fail it.
 * Legacy ids are recognised (and accepted with a warning); anything else is a bad format.
 */
export function checkTaxNo(value: string): TaxNoCheck {
  if (typeof value !== 'string') return { status: 'invalid-format' };
  if (USCC_PATTERN.test(value)) {
    const expected = usccCheckDigit(value.slice(0, 17));
    return expected === value[17]
      ? { status: 'valid' }
      : { status: 'check-digit-mismatch', expectedCheckDigit: expected };
  }
  if (value.length !== 18 && LEGACY_TAX_NO_PATTERN.test(value)) return { status: 'legacy' };
  return { status: 'invalid-format' };
}

/** True for a well-formed USCC whose check digit is right. */
export function isValidUscc(value: string): boolean {
  return checkTaxNo(value).status === 'valid';
}

/** True when the id may be accepted at all (valid, check-digit warning, or legacy). */
export function isAcceptableTaxNo(value: string): boolean {
  return checkTaxNo(value).status !== 'invalid-format';
}
