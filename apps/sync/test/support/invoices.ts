import { randomInt } from 'node:crypto';
import { digitalRedInvoice, digitalSpecialInvoice } from '../../../../libs/domain/src/testing/invoice.fixture';
import { Invoice } from '@lib/domain';

/** A unique 数电 number, so tests sharing a schema or a sandbox never collide. */
export function digitalNumber(): string {
  return `25442${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

export function blueInvoice(over: Partial<Invoice> = {}): Invoice {
  return digitalSpecialInvoice({ number: digitalNumber(), ...over });
}

/** The red invoice fully reversing `original`. */
export function redOf(original: Invoice, over: Partial<Invoice> = {}): Invoice {
  return digitalRedInvoice({
    number: digitalNumber(),
    sellerTaxNo: original.sellerTaxNo,
    original: { code: original.code, number: original.number },
    ...over,
  });
}
