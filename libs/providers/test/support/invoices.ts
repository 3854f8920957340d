import { randomInt } from 'node:crypto';
import { Invoice, InvoiceEventKind } from '@lib/domain';
import { DeliveryRequest } from '../../src';
import { digitalRedInvoice, digitalSpecialInvoice, eGeneralInvoice } from '../../../domain/src/testing/invoice.fixture';

let sequence = 0;

/** A unique 数电 number (tests share a sandbox). */
export function digitalNumber(): string {
  return `25442${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

export function blue(over: Partial<Invoice> = {}): Invoice {
  return digitalSpecialInvoice({ number: digitalNumber(), issuedAt: new Date().toISOString(), ...over });
}

/** A paper general invoice issued now (voidable in the month of issue). */
export function paper(over: Partial<Invoice> = {}): Invoice {
  return eGeneralInvoice({
    type: 'VAT_GENERAL',
    code: '3200182130',
    number: String(randomInt(10_000_000, 99_999_999)),
    issuedAt: new Date().toISOString(),
    ...over,
  });
}

export function redOf(original: Invoice, over: Partial<Invoice> = {}): Invoice {
  return digitalRedInvoice({
    number: digitalNumber(),
    issuedAt: new Date().toISOString(),
    sellerTaxNo: original.sellerTaxNo,
    original: { code: original.code, number: original.number },
    ...over,
  });
}

export function request(invoice: Invoice, kind: InvoiceEventKind = 'issued', serialNo?: string): DeliveryRequest {
  sequence += 1;
  return {
    invoiceKey: invoice.code ? `${invoice.code}-${invoice.number}` : invoice.number,
    kind,
    invoice,
    serialNo: serialNo ?? `SYT${Date.now().toString(16)}${String(sequence).padStart(6, '0')}${randomInt(0, 1e6)}`.slice(0, 32),
  };
}
