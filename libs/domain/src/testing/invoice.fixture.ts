import { withUsccCheckDigit } from '../tax-id/uscc.validator';
import { Invoice, InvoiceLine } from '../invoice/invoice.model';

/** Test data for domain specs (not exported from the library). Amounts are consistent to the fen. */
export const SELLER_TAX_NO = withUsccCheckDigit('91440300MA5F8Q2K7'); // a Shenzhen limited company
export const BUYER_TAX_NO = withUsccCheckDigit('91310115MA1K4B9X3'); // a Shanghai Pudong company

export const PRINTER_LINE: InvoiceLine = {
  name: '*计算机外部设备*激光打印机',
  taxCode: '1090511030000000000',
  quantity: '2',
  unitPrice: '1769.911504',
  amount: '3539.82',
  taxRate: '0.13',
  taxAmount: '460.18',
};

export const MAINTENANCE_LINE: InvoiceLine = {
  name: '*信息技术服务*软件维护服务',
  taxCode: '3040203000000000000',
  quantity: '1',
  unitPrice: '943.40',
  amount: '943.40',
  taxRate: '0.06',
  taxAmount: '56.60',
};

/** A legacy electronic general invoice (增值税电子普通发票) issued in Shenzhen, 5 000.00 yuan incl. tax. */
export function eGeneralInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    type: 'E_VAT_GENERAL',
    code: '044031900111',
    number: '12345678',
    issuedAt: '2025-03-12T10:15:00+08:00',
    sellerTaxNo: SELLER_TAX_NO,
    sellerName: '深圳市前海示例科技有限公司',
    buyerTaxNo: BUYER_TAX_NO,
    buyerName: '上海浦东示例贸易有限公司',
    amount: '4483.22',
    taxAmount: '516.78',
    totalAmount: '5000.00',
    checkCode: '59361212094539172458',
    lines: [PRINTER_LINE, MAINTENANCE_LINE],
    original: null,
    redReason: null,
    ...overrides,
  };
}

/** A 数电 special invoice (电子发票(增值税专用发票)) with the same lines. */
export function digitalSpecialInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return eGeneralInvoice({
    type: 'DIGITAL_SPECIAL',
    code: null,
    number: '25442000000123456789',
    checkCode: null,
    ...overrides,
  });
}

/** The red (negative) 数电 invoice that fully reverses `digitalSpecialInvoice()`. */
export function digitalRedInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return digitalSpecialInvoice({
    number: '25442000000123499999',
    issuedAt: '2025-04-02T09:00:00+08:00',
    amount: '-4483.22',
    taxAmount: '-516.78',
    totalAmount: '-5000.00',
    lines: [negate(PRINTER_LINE), negate(MAINTENANCE_LINE)],
    original: { code: null, number: '25442000000123456789' },
    redReason: '02',
    ...overrides,
  });
}

export function negate(line: InvoiceLine): InvoiceLine {
  const minus = (v: string) => (v.startsWith('-') ? v.slice(1) : `-${v}`);
  return {
    ...line,
    quantity: line.quantity === null ? null : minus(line.quantity),
    amount: minus(line.amount),
    taxAmount: minus(line.taxAmount),
  };
}
