import { rawInvoice, rawItem, rawLine } from '../testing/contract.fixture';
import { parseBody } from '../validation/parse-body.validator';
import { invoiceItemSchema, invoicesRequestSchema, invoicesResponseSchema } from './invoice-body.schema';

const item = (overrides: Record<string, unknown> = {}, invoice: Record<string, unknown> = {}) =>
  parseBody(invoiceItemSchema, rawItem(overrides, invoice));
const errorsOf = (result: ReturnType<typeof item>) =>
  result.ok ? [] : result.errors.map((e) => `${e.code}@${e.field}`);

describe('POST /v1/invoices request envelope', () => {
  it('accepts 1 to 1000 items of any shape (each is validated on its own)', () => {
    expect(parseBody(invoicesRequestSchema, { invoices: [rawItem(), 'garbage', null] }).ok).toBe(true);
    expect(parseBody(invoicesRequestSchema, { invoices: Array.from({ length: 1000 }, () => ({})) }).ok).toBe(
      true,
    );
  });

  it.each([
    [{ invoices: [] }, 'TOO_FEW_ITEMS@invoices'],
    [{ invoices: Array.from({ length: 1001 }, () => ({})) }, 'TOO_MANY_ITEMS@invoices'],
    [{}, 'REQUIRED@invoices'],
    [{ invoices: {} }, 'INVALID_TYPE@invoices'],
    [[], 'INVALID_TYPE@$'],
    ['{"invoices": []}', 'INVALID_TYPE@$'],
  ])('rejects %#: %s', (body, expected) => {
    const result = parseBody(invoicesRequestSchema, body);
    expect(result.ok ? [] : result.errors.map((e) => `${e.code}@${e.field}`)).toEqual([expected]);
  });
});

describe('invoice item shape', () => {
  it('accepts a well-formed item and fills optional fields with null', () => {
    const result = item(
      {},
      {
        checkCode: undefined,
        original: undefined,
        redReason: undefined,
        lines: [rawLine({ quantity: undefined, unitPrice: undefined })],
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.invoice).toMatchObject({ checkCode: null, original: null, redReason: null });
    expect(result.value.invoice.lines[0]).toMatchObject({ quantity: null, unitPrice: null });
  });

  it('accepts a 数电 item with null code and a red item with original and reason', () => {
    expect(item({}, { type: 'DIGITAL_GENERAL', code: null, number: '25442000000123456789' }).ok).toBe(true);
    const red = item(
      { kind: 'red-issued' },
      { original: { code: null, number: '25442000000123456789' }, redReason: '01' },
    );
    expect(red.ok).toBe(true);
  });

  it('drops unknown fields instead of failing on them', () => {
    const result = item({ extra: 1 }, { vendorField: 'x' });
    expect(result.ok && 'extra' in result.value).toBe(false);
  });

  it.each([
    [{ eventId: 'not-a-uuid' }, {}, 'INVALID_FORMAT@eventId'],
    [{ eventId: undefined }, {}, 'REQUIRED@eventId'],
    [{ kind: 'cancelled' }, {}, 'INVALID_ENUM@kind'],
    [{}, { type: 'VAT_ROLL' }, 'INVALID_ENUM@invoice.type'],
    [{}, { issuedAt: '2025-03-12 10:15:00' }, 'INVALID_FORMAT@invoice.issuedAt'],
    [{}, { issuedAt: '2025-03-12T10:15:00' }, 'INVALID_FORMAT@invoice.issuedAt'],
    [{}, { issuedAt: 1741745700000 }, 'INVALID_TYPE@invoice.issuedAt'],
    [{}, { amount: 3539.82 }, 'INVALID_TYPE@invoice.amount'],
    [{}, { amount: '3539.820' }, 'MONEY_TOO_PRECISE@invoice.amount'],
    [{}, { taxAmount: '4.6018e2' }, 'MONEY_FORMAT@invoice.taxAmount'],
    [{}, { totalAmount: '' }, 'MONEY_FORMAT@invoice.totalAmount'],
    [{}, { totalAmount: '99999999999999999' }, 'MONEY_OUT_OF_RANGE@invoice.totalAmount'],
    [{}, { sellerName: 'x'.repeat(201) }, 'TOO_LONG@invoice.sellerName'],
    [{}, { buyerName: '' }, 'TOO_SHORT@invoice.buyerName'],
    [{}, { lines: [] }, 'TOO_FEW_ITEMS@invoice.lines'],
    [{}, { lines: Array.from({ length: 2001 }, () => rawLine()) }, 'TOO_MANY_ITEMS@invoice.lines'],
    [{}, { lines: [rawLine(), rawLine({ amount: '12.345' })] }, 'MONEY_TOO_PRECISE@invoice.lines[1].amount'],
    [{}, { lines: [rawLine({ name: undefined })] }, 'REQUIRED@invoice.lines[0].name'],
    [{}, { lines: [rawLine({ quantity: 2 })] }, 'INVALID_TYPE@invoice.lines[0].quantity'],
    [{}, { original: { code: null } }, 'REQUIRED@invoice.original.number'],
    [{}, { code: 44031900111 }, 'INVALID_TYPE@invoice.code'],
  ])('rejects %j / %j with %s', (overrides, invoice, expected) => {
    expect(errorsOf(item(overrides, invoice))).toEqual([expected]);
  });

  it('reports every problem of an item at once', () => {
    const result = item({ kind: 'x' }, { amount: 1, buyerName: undefined });
    expect(errorsOf(result).sort()).toEqual([
      'INVALID_ENUM@kind',
      'INVALID_TYPE@invoice.amount',
      'REQUIRED@invoice.buyerName',
    ]);
  });

  it('rejects an item that is not an object', () => {
    expect(errorsOf(parseBody(invoiceItemSchema, 'x'))).toEqual(['INVALID_TYPE@$']);
    expect(errorsOf(parseBody(invoiceItemSchema, [rawInvoice()], 'invoices[4]'))).toEqual([
      'INVALID_TYPE@invoices[4]',
    ]);
  });
});

describe('POST /v1/invoices response', () => {
  it('describes results in order, with optional warnings', () => {
    const body = {
      results: [
        {
          eventId: 'a',
          status: 'accepted',
          errors: [],
          warnings: [{ code: 'TAX_NO_CHECK_DIGIT', field: 'invoices[0].invoice.buyerTaxNo', message: '…' }],
        },
        {
          eventId: null,
          status: 'rejected',
          errors: [{ code: 'REQUIRED', field: 'invoices[1].eventId', message: 'is required' }],
        },
      ],
    };
    expect(invoicesResponseSchema.safeParse(body).success).toBe(true);
    expect(
      invoicesResponseSchema.safeParse({ results: [{ eventId: 'a', status: 'ok', errors: [] }] }).success,
    ).toBe(false);
  });
});
