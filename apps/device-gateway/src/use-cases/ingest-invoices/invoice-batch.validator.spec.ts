import { withUsccCheckDigit } from '@lib/domain';
import { validateInvoiceBatch } from '../../ingest/invoice-batch.validator';
import { answerBatch, StoredOutcome } from './invoice-results';

const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
const ctx = { now: new Date('2025-03-20T00:00:00Z'), deviceTaxNo: SELLER };

function item(eventId: string, buyerName = '个人', number = '12345678') {
  return {
    eventId,
    kind: 'issued',
    invoice: {
      type: 'E_VAT_GENERAL',
      code: '044031900111',
      number,
      issuedAt: '2025-03-12T10:15:00+08:00',
      sellerTaxNo: SELLER,
      sellerName: 'S',
      buyerTaxNo: null,
      buyerName,
      amount: '100.00',
      taxAmount: '13.00',
      totalAmount: '113.00',
      checkCode: '59361212094539172458',
      lines: [
        {
          name: 'x',
          taxCode: '1090511030000000000',
          quantity: '1',
          unitPrice: '100',
          amount: '100.00',
          taxRate: '0.13',
          taxAmount: '13.00',
        },
      ],
    },
  };
}

const A = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';
const B = '4f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';

describe('validateInvoiceBatch + answerBatch', () => {
  it('keeps rejected items in place and identifies valid ones by lower-case id, key and content hash', () => {
    const batch = validateInvoiceBatch([item(A.toUpperCase()), { nonsense: true }], ctx);
    expect(batch.firsts).toHaveLength(1);
    expect(batch.firsts[0]).toMatchObject({
      index: 0,
      eventId: A.toUpperCase(),
      id: A,
      invoiceKey: '044031900111-12345678',
    });
    expect(batch.rejected[0]).toBeNull();
    expect(batch.rejected[1]).toMatchObject({ eventId: null, status: 'rejected' });
  });

  it('gives equal meaning an equal hash (defaults spelled out or not, any key order)', () => {
    const plain = item(A);
    const explicit = {
      invoice: { ...plain.invoice, original: null, redReason: null },
      kind: 'issued',
      eventId: B,
    };
    const [x, y] = validateInvoiceBatch([plain, explicit], ctx).firsts;
    expect(x.hash.equals(y.hash)).toBe(true);
    expect(validateInvoiceBatch([item(A, 'other buyer')], ctx).firsts[0].hash.equals(x.hash)).toBe(false);
  });

  it('answers repeats of an eventId within a request from the first one: same content duplicate, else conflict', () => {
    const batch = validateInvoiceBatch([item(A), item(A), item(A, 'changed'), item(B)], ctx);
    expect(batch.firsts.map((f) => f.index)).toEqual([0, 3]);
    const outcomes = new Map<string, StoredOutcome>([
      [A, { status: 'accepted', warnings: [] }],
      [B, { status: 'conflict' }],
    ]);
    expect(answerBatch(batch, outcomes).map((r) => [r.status, r.errors.map((e) => e.code)])).toEqual([
      ['accepted', []],
      ['duplicate', []],
      ['rejected', ['IDEMPOTENCY_CONFLICT']],
      ['rejected', ['IDEMPOTENCY_CONFLICT']],
    ]);
  });

  it('makes a same-content repeat of a conflicting eventId a conflict too', () => {
    const batch = validateInvoiceBatch([item(A), item(A)], ctx);
    const answers = answerBatch(batch, new Map([[A, { status: 'conflict' }]]));
    expect(answers.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
