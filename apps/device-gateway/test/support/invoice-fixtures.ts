import { randomUUID } from 'node:crypto';
import { SELLER } from './gateway-harness';

export type Json = Record<string, unknown>;

let counter = Math.floor(Math.random() * 50_000_000);

/** A fresh 8-digit legacy invoice number (unique within a test run). */
export function nextNumber(): string {
  counter = (counter + 1) % 100_000_000;
  return String(counter).padStart(8, '0');
}

export function nextDigitalNumber(): string {
  return `25442${String(nextNumber()).padStart(15, '0')}`;
}

export function line(overrides: Json = {}): Json {
  return {
    name: '*计算机外部设备*激光打印机',
    taxCode: '1090511030000000000',
    quantity: '2',
    unitPrice: '1769.91',
    amount: '3539.82',
    taxRate: '0.13',
    taxAmount: '460.18',
    ...overrides,
  };
}

/** A valid legacy electronic general invoice: 3539.82 + 460.18 = 4000.00. */
export function invoice(overrides: Json = {}): Json {
  return {
    type: 'E_VAT_GENERAL',
    code: '044031900111',
    number: nextNumber(),
    issuedAt: '2025-03-12T10:15:00+08:00',
    sellerTaxNo: SELLER,
    sellerName: '深圳市前海示例科技有限公司',
    buyerTaxNo: null,
    buyerName: '个人',
    amount: '3539.82',
    taxAmount: '460.18',
    totalAmount: '4000.00',
    checkCode: '59361212094539172458',
    lines: [line()],
    ...overrides,
  };
}

export function item(invoiceOverrides: Json = {}, overrides: Json = {}): Json {
  return { eventId: randomUUID(), kind: 'issued', invoice: invoice(invoiceOverrides), ...overrides };
}

/** A red 数电 invoice reversing another 数电 invoice in full. */
export function redItem(invoiceOverrides: Json = {}): Json {
  return item(
    {
      type: 'DIGITAL_GENERAL',
      code: null,
      number: nextDigitalNumber(),
      checkCode: null,
      amount: '-3539.82',
      taxAmount: '-460.18',
      totalAmount: '-4000.00',
      lines: [line({ quantity: '-2', amount: '-3539.82', taxAmount: '-460.18' })],
      original: { code: null, number: nextDigitalNumber() },
      redReason: '01',
      ...invoiceOverrides,
    },
    { kind: 'red-issued' },
  );
}

/** A void of a paper general invoice issued a moment ago (voids are only allowed in the month of issue). */
export function voidItem(invoiceOverrides: Json = {}): Json {
  return item(
    {
      type: 'VAT_GENERAL',
      code: '4403191320',
      issuedAt: new Date(Date.now() - 1_000).toISOString(),
      ...invoiceOverrides,
    },
    { kind: 'voided' },
  );
}

export function clearCardBody(overrides: Json = {}): Json {
  return {
    eventId: randomUUID(),
    period: '2025-02',
    status: 'succeeded',
    at: '2025-03-10T09:30:00+08:00',
    errorCode: null,
    errorMessage: null,
    ...overrides,
  };
}

export function reportBody(overrides: Json = {}): Json {
  return {
    eventId: randomUUID(),
    period: '2025-02',
    totals: [
      { type: 'E_VAT_GENERAL', count: 120, amount: '353982.00', taxAmount: '46018.00' },
      { type: 'DIGITAL_SPECIAL', count: 3, amount: '1000.00', taxAmount: '130.00' },
    ],
    ...overrides,
  };
}

export function monitorBody(overrides: Json = {}): Json {
  return {
    eventId: randomUUID(),
    at: '2025-03-10T09:30:00+08:00',
    lockDate: '2025-04-15',
    offlineSince: null,
    offlineAmount: '0.00',
    offlineAmountLimit: '100000.00',
    offlineHoursLimit: 72,
    ...overrides,
  };
}
