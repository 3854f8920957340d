import { digitalRedInvoice, digitalSpecialInvoice, eGeneralInvoice } from '../../testing/invoice.fixture';
import { issued, paperSpecial, red, SCENARIOS, voided } from '../../testing/invoice-rule.scenarios';
import { INVOICE_ISSUE_CATALOGUE, INVOICE_ISSUE_CODES } from './invoice-issue.catalogue';
import { errorsOf, validateInvoice, warningsOf } from './validate-invoice.rules';

describe('validateInvoice', () => {
  it('accepts consistent invoices of every kind without any issue', () => {
    expect(validateInvoice(eGeneralInvoice(), issued)).toEqual([]);
    expect(validateInvoice(digitalSpecialInvoice(), issued)).toEqual([]);
    expect(validateInvoice(digitalRedInvoice(), red)).toEqual([]);
    expect(validateInvoice(paperSpecial(), voided)).toEqual([]);
    expect(validateInvoice(paperSpecial({ code: '3200182130', number: '00001234' }), issued)).toEqual([]);
  });

  it.each(SCENARIOS)('%s', (code, invoice, ctx, field) => {
    const issues = validateInvoice(invoice, ctx);
    const found = issues.filter((issue) => issue.code === code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ field, severity: INVOICE_ISSUE_CATALOGUE[code].severity });
    expect(found[0].message.startsWith(INVOICE_ISSUE_CATALOGUE[code].message)).toBe(true);
  });

  it('has one scenario per catalogue code, and the codes are distinct UPPER_SNAKE', () => {
    expect(SCENARIOS.map(([code]) => code).sort()).toEqual([...INVOICE_ISSUE_CODES].sort());
    expect(new Set(INVOICE_ISSUE_CODES).size).toBe(INVOICE_ISSUE_CODES.length);
    INVOICE_ISSUE_CODES.forEach((code) => expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/));
  });

  it('splits errors from warnings', () => {
    const issues = validateInvoice(
      eGeneralInvoice({ buyerTaxNo: '91350100M000100Y44', number: '1' }),
      issued,
    );
    expect(errorsOf(issues).map((i) => i.code)).toEqual(['INVOICE_NUMBER_FORMAT']);
    expect(warningsOf(issues).map((i) => i.code)).toEqual(['TAX_NO_CHECK_DIGIT']);
  });

  it('uses the field prefix it is given', () => {
    const issues = validateInvoice(eGeneralInvoice({ number: '1' }), {
      ...issued,
      fieldPrefix: 'invoices[3].invoice',
    });
    expect(issues[0].field).toBe('invoices[3].invoice.number');
  });

  it('says what it expected in the message', () => {
    const [issue] = validateInvoice(eGeneralInvoice({ totalAmount: '5000.01' }), issued).filter(
      (i) => i.code === 'TOTAL_MISMATCH',
    );
    expect(issue.message).toContain('expected 5000.00, got 5000.01');
  });
});
