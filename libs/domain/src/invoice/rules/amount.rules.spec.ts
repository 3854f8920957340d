import {
  eGeneralInvoice,
  MAINTENANCE_LINE,
  PRINTER_LINE,
  SELLER_TAX_NO,
} from '../../testing/invoice.fixture';
import { InvoiceLine } from '../invoice.model';
import { InvoiceRuleContext } from './invoice-rule.context';
import { validateInvoice } from './validate-invoice.rules';

const ctx: InvoiceRuleContext = {
  kind: 'issued',
  now: new Date('2025-03-20T10:00:00+08:00'),
  deviceTaxNo: SELLER_TAX_NO,
};
const codesOf = (lines: InvoiceLine[], amount: string, taxAmount: string, totalAmount: string) =>
  validateInvoice(eGeneralInvoice({ lines, amount, taxAmount, totalAmount }), ctx).map(
    (i) => `${i.code}@${i.field}`,
  );

describe('amount rules', () => {
  it('accepts a zero-rated (exempt) line', () => {
    const line: InvoiceLine = {
      ...MAINTENANCE_LINE,
      name: '*图书*技术手册',
      taxRate: '0',
      taxAmount: '0.00',
      unitPrice: '943.4',
    };
    expect(codesOf([line], '943.40', '0.00', '943.40')).toEqual([]);
  });

  it('accepts reduced levy rates used in practice', () => {
    const rental: InvoiceLine = {
      ...MAINTENANCE_LINE,
      name: '*经营租赁*住房租金',
      taxRate: '0.015',
      amount: '4926.11',
      taxAmount: '73.89',
      quantity: null,
      unitPrice: null,
    };
    expect(codesOf([rental], '4926.11', '73.89', '5000.00')).toEqual([]);
  });

  it('skips the price check when quantity or unit price is absent, and checks it at any scale', () => {
    expect(
      codesOf([{ ...PRINTER_LINE, quantity: null }, MAINTENANCE_LINE], '4483.22', '516.78', '5000.00'),
    ).toEqual([]);
    const simple: InvoiceLine = {
      ...MAINTENANCE_LINE,
      quantity: '3',
      unitPrice: '5',
      amount: '15.00',
      taxAmount: '0.90',
    };
    expect(codesOf([simple], '15.00', '0.90', '15.90')).toEqual([]);
    const off: InvoiceLine = { ...simple, amount: '15.02', taxAmount: '0.90' };
    expect(codesOf([off], '15.02', '0.90', '15.92')).toEqual(['LINE_PRICE_MISMATCH@invoice.lines[0].amount']);
  });

  it('accepts a line tax off by up to 0.06 and totals that add up to the fen', () => {
    const line = { ...PRINTER_LINE, taxAmount: '460.23' };
    expect(codesOf([line, MAINTENANCE_LINE], '4483.22', '516.83', '5000.05')).toEqual([]);
  });

  it('does not pile sum errors on top of a money format error', () => {
    const codes = codesOf(
      [PRINTER_LINE, { ...MAINTENANCE_LINE, amount: '943,40' }],
      '4483.22',
      '516.78',
      '5000.00',
    );
    expect(codes).toEqual(['MONEY_FORMAT@invoice.lines[1].amount']);
    expect(codesOf([PRINTER_LINE, MAINTENANCE_LINE], '4483.22', '516.78', 5000 as unknown as string)).toEqual(
      ['MONEY_FORMAT@invoice.totalAmount'],
    );
  });

  it('checks the tax of every line with the right index', () => {
    const lines = [
      PRINTER_LINE,
      MAINTENANCE_LINE,
      { ...MAINTENANCE_LINE, taxAmount: '56.00' },
      MAINTENANCE_LINE,
    ];
    const codes = codesOf(lines, '6370.02', '629.38', '6999.40');
    expect(codes).toEqual(['LINE_TAX_MISMATCH@invoice.lines[2].taxAmount']);
  });

  it('allows a 100 % discount but not more', () => {
    const discount: InvoiceLine = {
      ...MAINTENANCE_LINE,
      amount: '-943.40',
      taxAmount: '-56.60',
      quantity: null,
      unitPrice: null,
    };
    expect(codesOf([PRINTER_LINE, MAINTENANCE_LINE, discount], '3539.82', '460.18', '4000.00')).toEqual([]);
  });

  it('rejects a discount line following another discount line', () => {
    const d1: InvoiceLine = {
      ...PRINTER_LINE,
      amount: '-100.00',
      taxAmount: '-13.00',
      quantity: null,
      unitPrice: null,
    };
    const codes = codesOf([PRINTER_LINE, d1, d1], '3339.82', '434.18', '3774.00');
    expect(codes).toEqual(['DISCOUNT_LINE_ORPHAN@invoice.lines[2].amount']);
  });
});
