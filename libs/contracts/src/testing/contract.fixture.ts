import { withUsccCheckDigit } from '@lib/domain';

/** Raw JSON bodies and event data for contracts specs (not exported from the library). */
export const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
export const BUYER = withUsccCheckDigit('91310115MA1K4B9X3');
export const EVENT_ID = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';
export const NOW = new Date('2025-03-20T10:00:00+08:00');

type Json = Record<string, unknown>;

export function rawLine(overrides: Json = {}): Json {
  return {
    name: '*计算机外部设备*激光打印机',
    taxCode: '1090511030000000000',
    quantity: '2',
    unitPrice: '1769.911504',
    amount: '3539.82',
    taxRate: '0.13',
    taxAmount: '460.18',
    ...overrides,
  };
}

export function rawInvoice(overrides: Json = {}): Json {
  return {
    type: 'E_VAT_GENERAL',
    code: '044031900111',
    number: '12345678',
    issuedAt: '2025-03-12T10:15:00+08:00',
    sellerTaxNo: SELLER,
    sellerName: '深圳市前海示例科技有限公司',
    buyerTaxNo: BUYER,
    buyerName: '上海浦东示例贸易有限公司',
    amount: '3539.82',
    taxAmount: '460.18',
    totalAmount: '4000.00',
    checkCode: '59361212094539172458',
    lines: [rawLine()],
    ...overrides,
  };
}

export function rawItem(overrides: Json = {}, invoice: Json = {}): Json {
  return { eventId: EVENT_ID, kind: 'issued', invoice: rawInvoice(invoice), ...overrides };
}

export function invoiceEventData(overrides: Json = {}): Json {
  return {
    invoiceKey: '044031900111-12345678',
    invoice: rawInvoice(),
    deviceId: 'dev-0001',
    branchId: 'sz-qianhai',
    taxNo: SELLER,
    receivedAt: '2025-03-12T10:15:02.120+08:00',
    warnings: [],
    ...overrides,
  };
}

export function rawEnvelope(overrides: Json = {}): Json {
  return {
    id: EVENT_ID,
    type: 'invoice.issued',
    version: 1,
    occurredAt: '2025-03-12T10:15:00+08:00',
    producedAt: '2025-03-12T02:15:02.500Z',
    source: 'device-gateway',
    data: invoiceEventData(),
    ...overrides,
  };
}
