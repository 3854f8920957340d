import {
  digitalRedInvoice,
  digitalSpecialInvoice,
  eGeneralInvoice,
  MAINTENANCE_LINE,
  negate,
  PRINTER_LINE,
  SELLER_TAX_NO,
} from '../../testing/invoice.fixture';
import { InvoiceRuleContext } from './invoice-rule.context';
import { validateInvoice } from './validate-invoice.rules';

const red: InvoiceRuleContext = {
  kind: 'red-issued',
  now: new Date('2025-04-02T10:00:00+08:00'),
  deviceTaxNo: SELLER_TAX_NO,
};
const codes = (issues: { code: string; field: string }[]) => issues.map((i) => `${i.code}@${i.field}`);

describe('red-issued', () => {
  it('lets a 数电 red invoice reverse a legacy original', () => {
    const invoice = digitalRedInvoice({ original: { code: '044031900111', number: '12345678' } });
    expect(validateInvoice(invoice, red)).toEqual([]);
  });

  it('requires a legacy red invoice to reference a legacy original', () => {
    const invoice = digitalRedInvoice({
      type: 'E_VAT_GENERAL',
      code: '044031900111',
      number: '12345679',
      checkCode: '59361212094539172459',
    });
    expect(codes(validateInvoice(invoice, red))).toEqual(['RED_ORIGINAL_FORMAT@invoice.original.code']);
    const fixed = { ...invoice, original: { code: '044031900111', number: '12345678' } };
    expect(validateInvoice(fixed, red)).toEqual([]);
  });

  it('checks both parts of a legacy original', () => {
    const invoice = digitalRedInvoice({ original: { code: '0440319', number: '123' } });
    expect(codes(validateInvoice(invoice, red))).toEqual([
      'RED_ORIGINAL_FORMAT@invoice.original.code',
      'RED_ORIGINAL_FORMAT@invoice.original.number',
    ]);
  });

  it('does not flag historical rates on a red invoice reversing an old sale', () => {
    const line = { ...negate(PRINTER_LINE), taxRate: '0.16', taxAmount: '-566.37' };
    const invoice = digitalRedInvoice({
      lines: [line],
      amount: '-3539.82',
      taxAmount: '-566.37',
      totalAmount: '-4106.19',
    });
    expect(validateInvoice(invoice, red)).toEqual([]);
    expect(
      codes(
        validateInvoice(
          {
            ...invoice,
            amount: '3539.82',
            taxAmount: '566.37',
            totalAmount: '4106.19',
            lines: [{ ...PRINTER_LINE, taxRate: '0.16', taxAmount: '566.37' }],
          },
          { ...red, kind: 'issued' },
        ),
      ),
    ).toContain('LINE_TAX_RATE_OUTDATED@invoice.lines[0].taxRate');
  });

  it('rejects a red invoice whose totals are zero', () => {
    const zero = { ...MAINTENANCE_LINE, amount: '0.00', taxAmount: '0.00', quantity: null, unitPrice: null };
    const invoice = digitalRedInvoice({
      lines: [zero],
      amount: '0.00',
      taxAmount: '0.00',
      totalAmount: '0.00',
    });
    expect(codes(validateInvoice(invoice, red))).toEqual(['RED_NOT_NEGATIVE@invoice.totalAmount']);
  });
});

describe('voided', () => {
  const voided: InvoiceRuleContext = {
    kind: 'voided',
    now: new Date('2025-03-31T23:59:00+08:00'),
    deviceTaxNo: SELLER_TAX_NO,
  };
  const paper = eGeneralInvoice({
    type: 'VAT_GENERAL',
    code: '4403182160',
    checkCode: '59361212094539172458',
    issuedAt: '2025-03-01T00:00:00+08:00',
  });

  it('allows voiding a paper invoice until the end of its Shanghai month', () => {
    expect(validateInvoice(paper, voided)).toEqual([]);
    const nextMonth = { ...voided, now: new Date('2025-03-31T16:00:00Z') };
    expect(codes(validateInvoice(paper, nextMonth))).toEqual(['VOID_OUTSIDE_ISSUE_MONTH@invoice.issuedAt']);
  });

  it('allows voiding a paper red invoice, which keeps its original and reason', () => {
    const paperRed = {
      ...digitalRedInvoice({ original: { code: '4403182160', number: '00000001' } }),
      type: 'VAT_GENERAL' as const,
      code: '4403182160',
      number: '00000002',
      checkCode: '59361212094539172458',
      issuedAt: '2025-03-02T10:00:00+08:00',
    };
    expect(validateInvoice(paperRed, voided)).toEqual([]);
  });

  it('refuses a 数电 void with both the type and (if late) the month', () => {
    expect(
      codes(
        validateInvoice(digitalSpecialInvoice(), { ...voided, now: new Date('2025-04-01T09:00:00+08:00') }),
      ),
    ).toEqual(['VOID_NOT_PAPER@invoice.type', 'VOID_OUTSIDE_ISSUE_MONTH@invoice.issuedAt']);
  });
});

describe('issuedAt and parties', () => {
  const issued: InvoiceRuleContext = { kind: 'issued', now: new Date('2025-03-12T10:15:00+08:00') };

  it('tolerates device clock skew, configurable', () => {
    const ahead = eGeneralInvoice({ issuedAt: '2025-03-12T10:19:59+08:00' });
    expect(validateInvoice(ahead, issued)).toEqual([]);
    expect(codes(validateInvoice(ahead, { ...issued, clockSkewMs: 60_000 }))).toEqual([
      'ISSUED_AT_IN_FUTURE@invoice.issuedAt',
    ]);
  });

  it('skips the seller check when no device taxpayer is given', () => {
    expect(validateInvoice(eGeneralInvoice({ sellerTaxNo: '91350100M000100Y43' }), issued)).toEqual([]);
  });

  it('lets a general invoice go to a buyer without tax id, but not a special one', () => {
    expect(
      validateInvoice(
        digitalSpecialInvoice({ type: 'DIGITAL_GENERAL', buyerTaxNo: null, buyerName: '个人' }),
        issued,
      ),
    ).toEqual([]);
    expect(codes(validateInvoice(digitalSpecialInvoice({ buyerTaxNo: '' }), issued))).toEqual([
      'BUYER_TAX_NO_REQUIRED@invoice.buyerTaxNo',
    ]);
  });

  it('rejects a malformed buyer id on a special invoice', () => {
    expect(codes(validateInvoice(digitalSpecialInvoice({ buyerTaxNo: 'N/A' }), issued))).toEqual([
      'TAX_NO_FORMAT@invoice.buyerTaxNo',
    ]);
  });

  it('accepts an empty code on a 数电 invoice as no code', () => {
    expect(validateInvoice(digitalSpecialInvoice({ code: '' }), issued)).toEqual([]);
  });
});
