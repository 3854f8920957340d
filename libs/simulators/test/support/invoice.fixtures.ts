import type { WireInvoice, WireInvoiceType } from '@lib/protocols';

export const SELLER = '91350100M000100Y43';
export const BUYER = '91110108MA01ABCD0X';
export const STRANGER = '91440300MA5EXAMPL5';

let counter = 0;

/** A consistent invoice (1 line, 13 %): amount 100.00 + tax 13.00 = 113.00 unless overridden. */
export function makeInvoice(
  type: WireInvoiceType = 'VAT_SPECIAL',
  overrides: Partial<WireInvoice> = {},
): WireInvoice {
  counter += 1;
  const digital = type === 'DIGITAL_SPECIAL' || type === 'DIGITAL_GENERAL';
  const paper = type === 'VAT_SPECIAL' || type === 'VAT_GENERAL';
  return {
    type,
    code: digital ? null : paper ? '3500231130' : '035002300111',
    number: digital ? `2435000000${String(counter).padStart(10, '0')}` : String(10_000_000 + counter),
    issuedAt: new Date().toISOString().replace('Z', '+00:00'),
    sellerTaxNo: SELLER,
    sellerName: '福州示例科技有限公司',
    buyerTaxNo: BUYER,
    buyerName: '北京示例商贸有限公司',
    amount: '100.00',
    taxAmount: '13.00',
    totalAmount: '113.00',
    checkCode: digital ? null : '12345678901234567890',
    lines: [
      {
        name: '*信息技术服务*软件开发',
        taxCode: '3040201010000000000',
        quantity: '1',
        unitPrice: '100.00',
        amount: '100.00',
        taxRate: '0.13',
        taxAmount: '13.00',
      },
    ],
    ...overrides,
  };
}

export function keyOf(invoice: WireInvoice): string {
  return `${invoice.code ?? ''}${invoice.number}`;
}

/** yyyymmdd of the invoice's issue date in Asia/Shanghai. */
export function kprqOf(invoice: WireInvoice): string {
  return new Date(Date.parse(invoice.issuedAt) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}
