import { Invoice } from '../invoice/invoice.model';
import { InvoiceIssueCode } from '../invoice/rules/invoice-issue.catalogue';
import { InvoiceRuleContext } from '../invoice/rules/invoice-rule.context';
import {
  BUYER_TAX_NO,
  digitalRedInvoice,
  digitalSpecialInvoice,
  eGeneralInvoice,
  MAINTENANCE_LINE,
  PRINTER_LINE,
  SELLER_TAX_NO,
} from './invoice.fixture';

/** Test data for domain specs (not exported from the library). */
export const NOW = new Date('2025-03-20T10:00:00+08:00');
export const issued: InvoiceRuleContext = { kind: 'issued', now: NOW, deviceTaxNo: SELLER_TAX_NO };
export const red: InvoiceRuleContext = {
  kind: 'red-issued',
  now: new Date('2025-04-02T10:00:00+08:00'),
  deviceTaxNo: SELLER_TAX_NO,
};
export const voided: InvoiceRuleContext = { kind: 'voided', now: NOW, deviceTaxNo: SELLER_TAX_NO };
export const paperSpecial = (o: Partial<Invoice> = {}) =>
  eGeneralInvoice({ type: 'VAT_SPECIAL', code: '4403182130', checkCode: null, ...o });

export type Scenario = [InvoiceIssueCode, Invoice, InvoiceRuleContext, string];

/** One invoice per rule that breaks exactly that rule, with the field the issue must point at. */
export const SCENARIOS: Scenario[] = [
  ['INVOICE_CODE_REQUIRED', eGeneralInvoice({ code: null }), issued, 'invoice.code'],
  ['INVOICE_CODE_NOT_ALLOWED', digitalSpecialInvoice({ code: '044031900111' }), issued, 'invoice.code'],
  ['INVOICE_CODE_FORMAT', eGeneralInvoice({ code: '04403190011' }), issued, 'invoice.code'],
  ['INVOICE_CODE_STRUCTURE', eGeneralInvoice({ code: '144031900111' }), issued, 'invoice.code'],
  ['INVOICE_CODE_TYPE_MISMATCH', paperSpecial({ code: '044031900111' }), issued, 'invoice.code'],
  ['INVOICE_NUMBER_FORMAT', eGeneralInvoice({ number: '1234567' }), issued, 'invoice.number'],
  [
    'TAX_NO_FORMAT',
    eGeneralInvoice({ sellerTaxNo: '91440300MA5F8Q2KO7' }),
    { ...issued, deviceTaxNo: null },
    'invoice.sellerTaxNo',
  ],
  ['TAX_NO_CHECK_DIGIT', eGeneralInvoice({ buyerTaxNo: '91350100M000100Y44' }), issued, 'invoice.buyerTaxNo'],
  ['TAX_NO_LEGACY', eGeneralInvoice({ buyerTaxNo: '440301708461136' }), issued, 'invoice.buyerTaxNo'],
  ['BUYER_TAX_NO_UNRECOGNISED', eGeneralInvoice({ buyerTaxNo: 'N/A' }), issued, 'invoice.buyerTaxNo'],
  ['SELLER_MISMATCH', eGeneralInvoice(), { ...issued, deviceTaxNo: BUYER_TAX_NO }, 'invoice.sellerTaxNo'],
  ['BUYER_TAX_NO_REQUIRED', digitalSpecialInvoice({ buyerTaxNo: null }), issued, 'invoice.buyerTaxNo'],
  ['CHECK_CODE_MISSING', eGeneralInvoice({ checkCode: null }), issued, 'invoice.checkCode'],
  ['CHECK_CODE_FORMAT', eGeneralInvoice({ checkCode: '5936121209' }), issued, 'invoice.checkCode'],
  ['ISSUED_AT_INVALID', eGeneralInvoice({ issuedAt: '12/03/2025' }), issued, 'invoice.issuedAt'],
  [
    'ISSUED_AT_IN_FUTURE',
    eGeneralInvoice({ issuedAt: '2025-03-20T10:06:00+08:00' }),
    issued,
    'invoice.issuedAt',
  ],
  [
    'MONEY_FORMAT',
    eGeneralInvoice({ lines: [{ ...PRINTER_LINE, amount: '3539.820' }, MAINTENANCE_LINE] }),
    issued,
    'invoice.lines[0].amount',
  ],
  [
    'DECIMAL_FORMAT',
    eGeneralInvoice({ lines: [{ ...PRINTER_LINE, quantity: '2 台' }, MAINTENANCE_LINE] }),
    issued,
    'invoice.lines[0].quantity',
  ],
  [
    'LINES_EMPTY',
    eGeneralInvoice({ lines: [], amount: '0', taxAmount: '0', totalAmount: '0' }),
    issued,
    'invoice.lines',
  ],
  [
    'LINE_TAX_CODE_FORMAT',
    eGeneralInvoice({ lines: [PRINTER_LINE, { ...MAINTENANCE_LINE, taxCode: '304020300' }] }),
    issued,
    'invoice.lines[1].taxCode',
  ],
  [
    'LINE_TAX_RATE_INVALID',
    eGeneralInvoice({ lines: [PRINTER_LINE, { ...MAINTENANCE_LINE, taxRate: '6%' }] }),
    issued,
    'invoice.lines[1].taxRate',
  ],
  [
    'LINE_TAX_RATE_OUTDATED',
    eGeneralInvoice({
      lines: [{ ...PRINTER_LINE, taxRate: '0.16', taxAmount: '566.37' }, MAINTENANCE_LINE],
      taxAmount: '622.97',
      totalAmount: '5106.19',
    }),
    issued,
    'invoice.lines[0].taxRate',
  ],
  [
    'LINE_TAX_MISMATCH',
    eGeneralInvoice({
      lines: [{ ...PRINTER_LINE, taxAmount: '460.30' }, MAINTENANCE_LINE],
      taxAmount: '516.90',
      totalAmount: '5000.12',
    }),
    issued,
    'invoice.lines[0].taxAmount',
  ],
  [
    'LINE_PRICE_MISMATCH',
    eGeneralInvoice({ lines: [{ ...PRINTER_LINE, unitPrice: '1769.90' }, MAINTENANCE_LINE] }),
    issued,
    'invoice.lines[0].amount',
  ],
  [
    'AMOUNT_SUM_MISMATCH',
    eGeneralInvoice({ amount: '4483.23', taxAmount: '516.77' }),
    issued,
    'invoice.amount',
  ],
  [
    'TAX_SUM_MISMATCH',
    eGeneralInvoice({ amount: '4483.21', taxAmount: '516.79' }),
    issued,
    'invoice.taxAmount',
  ],
  [
    'TOTAL_SUM_MISMATCH',
    eGeneralInvoice({ amount: '4483.23', totalAmount: '5000.01' }),
    issued,
    'invoice.totalAmount',
  ],
  ['TOTAL_MISMATCH', eGeneralInvoice({ totalAmount: '5000.01' }), issued, 'invoice.totalAmount'],
  [
    'ISSUED_NEGATIVE_TOTAL',
    eGeneralInvoice({
      amount: '-4483.22',
      taxAmount: '-516.78',
      totalAmount: '-5000.00',
      lines: digitalRedInvoice().lines,
    }),
    issued,
    'invoice.totalAmount',
  ],
  [
    'DISCOUNT_LINE_ORPHAN',
    eGeneralInvoice({
      lines: [
        { ...MAINTENANCE_LINE, amount: '-943.40', taxAmount: '-56.60', quantity: null, unitPrice: null },
        PRINTER_LINE,
      ],
      amount: '2596.42',
      taxAmount: '403.58',
      totalAmount: '3000.00',
    }),
    issued,
    'invoice.lines[0].amount',
  ],
  [
    'DISCOUNT_EXCEEDS_LINE',
    eGeneralInvoice({
      lines: [
        MAINTENANCE_LINE,
        { ...MAINTENANCE_LINE, amount: '-1000.00', taxAmount: '-60.00', quantity: null, unitPrice: null },
      ],
      amount: '-56.60',
      taxAmount: '-3.40',
      totalAmount: '-60.00',
    }),
    { ...issued },
    'invoice.lines[1].amount',
  ],
  [
    'DISCOUNT_RATE_MISMATCH',
    eGeneralInvoice({
      lines: [
        PRINTER_LINE,
        { ...MAINTENANCE_LINE, amount: '-100.00', taxAmount: '-6.00', quantity: null, unitPrice: null },
      ],
      amount: '3439.82',
      taxAmount: '454.18',
      totalAmount: '3894.00',
    }),
    issued,
    'invoice.lines[1].taxRate',
  ],
  [
    'RED_NOT_NEGATIVE',
    digitalRedInvoice({
      amount: '4483.22',
      taxAmount: '516.78',
      totalAmount: '5000.00',
      lines: [PRINTER_LINE, MAINTENANCE_LINE],
    }),
    red,
    'invoice.totalAmount',
  ],
  ['RED_ORIGINAL_REQUIRED', digitalRedInvoice({ original: null }), red, 'invoice.original'],
  [
    'RED_ORIGINAL_FORMAT',
    digitalRedInvoice({ original: { code: null, number: '12345678' } }),
    red,
    'invoice.original.number',
  ],
  [
    'RED_ORIGINAL_SELF',
    digitalRedInvoice({ original: { code: null, number: '25442000000123499999' } }),
    red,
    'invoice.original',
  ],
  ['RED_REASON_REQUIRED', digitalRedInvoice({ redReason: null }), red, 'invoice.redReason'],
  ['RED_REASON_INVALID', digitalRedInvoice({ redReason: '2' }), red, 'invoice.redReason'],
  ['RED_FIELDS_UNEXPECTED', eGeneralInvoice({ redReason: '01' }), issued, 'invoice.redReason'],
  ['VOID_NOT_PAPER', eGeneralInvoice(), voided, 'invoice.type'],
  [
    'VOID_OUTSIDE_ISSUE_MONTH',
    paperSpecial({ issuedAt: '2025-02-28T16:00:00+08:00' }),
    voided,
    'invoice.issuedAt',
  ],
];
