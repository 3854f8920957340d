import { BUYER, EVENT_ID, NOW, rawItem, rawLine, SELLER } from '../testing/contract.fixture';
import { validateInvoiceItem } from './invoice-item.validator';

const ctx = { now: NOW, deviceTaxNo: SELLER };

describe('validateInvoiceItem', () => {
  it('accepts a good item with no errors and no warnings', () => {
    const result = validateInvoiceItem(rawItem(), ctx);
    expect(result).toMatchObject({ ok: true, eventId: EVENT_ID, errors: [], warnings: [] });
    expect(result.value?.invoice.number).toBe('12345678');
  });

  it('runs the business rules after the shape, with paths under the item index', () => {
    const result = validateInvoiceItem(rawItem({}, { totalAmount: '4000.01' }), ctx, { index: 3 });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        code: 'TOTAL_MISMATCH',
        field: 'invoices[3].invoice.totalAmount',
        message: expect.stringContaining('expected 4000.00'),
      },
    ]);
  });

  it('stops at shape errors, keeping the eventId for the response', () => {
    const result = validateInvoiceItem(rawItem({}, { amount: 3539.82, totalAmount: '1' }), ctx, { index: 0 });
    expect(result).toMatchObject({ ok: false, eventId: EVENT_ID, value: null, warnings: [] });
    expect(result.errors.map((e) => `${e.code}@${e.field}`)).toEqual([
      'INVALID_TYPE@invoices[0].invoice.amount',
    ]);
  });

  it('accepts with a warning when the buyer USCC check digit is off', () => {
    const wrongCheck = BUYER.slice(0, 17) + (BUYER[17] === '0' ? '1' : '0');
    const result = validateInvoiceItem(rawItem({}, { buyerTaxNo: wrongCheck }), ctx, { index: 1 });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      { code: 'TAX_NO_CHECK_DIGIT', field: 'invoices[1].invoice.buyerTaxNo', message: expect.any(String) },
    ]);
  });

  it('rejects an invoice whose seller is not the device taxpayer', () => {
    const result = validateInvoiceItem(rawItem(), { ...ctx, deviceTaxNo: BUYER });
    expect(result.errors.map((e) => `${e.code}@${e.field}`)).toEqual(['SELLER_MISMATCH@invoice.sellerTaxNo']);
  });

  it('reports the domain code for each format rule', () => {
    const result = validateInvoiceItem(
      rawItem(
        {},
        { code: '4403182130', number: '123', lines: [rawLine({ taxCode: '10905', taxRate: '0.12' })] },
      ),
      ctx,
    );
    expect(result.errors.map((e) => e.code)).toEqual([
      'INVOICE_NUMBER_FORMAT',
      'LINE_TAX_RATE_INVALID',
      'LINE_TAX_CODE_FORMAT',
    ]);
    expect(result.warnings.map((e) => e.code)).toEqual(['INVOICE_CODE_TYPE_MISMATCH']);
  });

  it('checks voids against the receipt time', () => {
    const paper = { type: 'VAT_SPECIAL', code: '4403182130', checkCode: null };
    expect(validateInvoiceItem(rawItem({ kind: 'voided' }, paper), ctx).ok).toBe(true);
    const april = validateInvoiceItem(rawItem({ kind: 'voided' }, paper), {
      ...ctx,
      now: new Date('2025-04-01T00:00:00+08:00'),
    });
    expect(april.errors.map((e) => e.code)).toEqual(['VOID_OUTSIDE_ISSUE_MONTH']);
  });

  it('requires an original and a reason for a red item', () => {
    const result = validateInvoiceItem(
      rawItem(
        { kind: 'red-issued' },
        {
          amount: '-3539.82',
          taxAmount: '-460.18',
          totalAmount: '-4000.00',
          lines: [rawLine({ quantity: '-2', amount: '-3539.82', taxAmount: '-460.18' })],
        },
      ),
      ctx,
    );
    expect(result.errors.map((e) => e.code)).toEqual(['RED_ORIGINAL_REQUIRED', 'RED_REASON_REQUIRED']);
  });

  it.each([
    [null, null],
    ['x', null],
    [{ eventId: 12 }, null],
    [{ eventId: 'client-7' }, 'client-7'],
  ])('reads the eventId of %p as %p', (raw, eventId) => {
    const result = validateInvoiceItem(raw, ctx);
    expect(result.ok).toBe(false);
    expect(result.eventId).toBe(eventId);
  });

  it('never lets one bad item affect the next one', () => {
    const items = [rawItem(), 'garbage', rawItem({}, { number: '1' }), rawItem()];
    const results = items.map((raw, index) => validateInvoiceItem(raw, ctx, { index }));
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1].errors[0].field).toBe('invoices[1]');
    expect(results[2].errors[0].field).toBe('invoices[2].invoice.number');
  });
});
