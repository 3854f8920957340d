import { DomainException } from '../common/domain.exception';
import {
  DIGITAL_INVOICE_NUMBER_PATTERN,
  INVOICE_CODE_PATTERN,
  LEGACY_INVOICE_NUMBER_PATTERN,
} from './invoice-format.rules';

/**
 * The invoice key identifies an invoice independently of its type:
 * - legacy (has a code): `<code>-<number>`, e.g. `044031900111-12345678` or `3200182130-00001234`;
 * - 数电 (no code): the 20-digit number, e.g. `25442000000123456789`.
 * The hyphen keeps the two families apart (12 + 8 digits would otherwise look like a 20-digit 数电 number), and the
 * key is safe in a URL path and as a Kafka partition key.
 */
export const INVOICE_KEY_PATTERN = /^(?:(?:\d{10}|\d{12})-\d{8}|\d{20})$/;

export interface InvoiceIdentity {
  code: string | null;
  number: string;
}

export function invoiceKey(identity: InvoiceIdentity): string {
  const { code, number } = identity;
  if (code === null || code === '') {
    if (!DIGITAL_INVOICE_NUMBER_PATTERN.test(number)) {
      throw new DomainException(
        'INVOICE_KEY_INVALID',
        `an invoice without a code needs a 20-digit number, got "${number}"`,
      );
    }
    return number;
  }
  if (!INVOICE_CODE_PATTERN.test(code) || !LEGACY_INVOICE_NUMBER_PATTERN.test(number)) {
    throw new DomainException(
      'INVOICE_KEY_INVALID',
      `a legacy invoice needs a 10/12-digit code and an 8-digit number, got "${code}"/"${number}"`,
    );
  }
  return `${code}-${number}`;
}

export function tryInvoiceKey(identity: InvoiceIdentity): string | null {
  try {
    return invoiceKey(identity);
  } catch {
    return null;
  }
}

export function isInvoiceKey(value: unknown): value is string {
  return typeof value === 'string' && INVOICE_KEY_PATTERN.test(value);
}

export function parseInvoiceKey(key: string): InvoiceIdentity {
  if (!isInvoiceKey(key)) throw new DomainException('INVOICE_KEY_INVALID', `"${key}" is not an invoice key`);
  const dash = key.indexOf('-');
  return dash < 0 ? { code: null, number: key } : { code: key.slice(0, dash), number: key.slice(dash + 1) };
}
