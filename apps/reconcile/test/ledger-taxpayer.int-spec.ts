import { AppError } from '@lib/common';
import { buildEnvelope } from '@lib/contracts';
import { Invoice, withUsccCheckDigit } from '@lib/domain';
import { classifyFailure } from '@lib/messaging';
import { digitalRedInvoice, digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { LedgerProjectionRepository } from '../src/projections/ledger-projection.repository';
import { toLedgerEventRecord } from '../src/use-cases/project-invoice-event/project-invoice-event.command';
import { ProjectInvoiceEventUseCase } from '../src/use-cases/project-invoice-event/project-invoice-event.use-case';
import { ReconcileDb } from './support/reconcile-db';

jest.setTimeout(60_000);

const OTHER_TAX_NO = withUsccCheckDigit('91110108MA01ABCD1');
type Kind = 'invoice.issued' | 'invoice.red-issued' | 'invoice.voided';

const event = (type: Kind, inv: Invoice, deviceId = 'dev-1', branchId = 'sz') =>
  toLedgerEventRecord(
    buildEnvelope(
      type,
      {
        invoiceKey: inv.number,
        invoice: { ...inv, lines: [...inv.lines] },
        deviceId,
        branchId,
        taxNo: inv.sellerTaxNo,
        receivedAt: '2026-10-10T02:01:00Z',
      },
      { source: 'test', occurredAt: new Date() },
    ),
  );

interface Row {
  tax_no: string;
  branch_id: string;
  device_id: string;
  state: string;
  red_reversed_amount: string;
  total_amount: string;
}

/**
 * The ledger projection is keyed by invoice key, which two taxpayers may share: an event of another seller than the
 * row's must not void, reassign or reverse that row. It is refused with TAXPAYER_MISMATCH (as sync refuses it), a
 * conflict the consumer dead-letters (poison), and its transaction leaves nothing behind.
 */
describe('ledger projection across taxpayers (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const useCase = new ProjectInvoiceEventUseCase(new LedgerProjectionRepository());
  const apply = (e: ReturnType<typeof event>) => db.dataSource.transaction((m) => useCase.execute(m, e));
  const row = async (key: string) =>
    (
      await db.query<Row>(
        'SELECT tax_no, branch_id, device_id, state, red_reversed_amount, total_amount FROM ledger_invoices WHERE invoice_key = $1',
        [key],
      )
    )[0];
  const count = async (sql: string, key: string) => (await db.query<{ n: number }>(sql, [key]))[0].n;
  const refusal = async (e: ReturnType<typeof event>) => {
    const error = await apply(e).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'TAXPAYER_MISMATCH', kind: 'conflict' });
    expect(classifyFailure(error)).toBe('poison');
  };

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it("refuses another taxpayer's void: the invoice stays issued and its own", async () => {
    const mine = digitalSpecialInvoice({ number: '25442000000310000001' });
    await apply(event('invoice.issued', mine));
    const before = await row(mine.number);
    await refusal(event('invoice.voided', { ...mine, sellerTaxNo: OTHER_TAX_NO }, 'dev-9', 'bj'));
    expect(await row(mine.number)).toEqual(before);
    expect(before).toMatchObject({
      state: 'issued',
      tax_no: mine.sellerTaxNo,
      branch_id: 'sz',
      device_id: 'dev-1',
    });
    expect(
      await count('SELECT COUNT(*)::int AS n FROM ledger_events WHERE invoice_key = $1', mine.number),
    ).toBe(1);
  });

  it("refuses another taxpayer's issue under the same key: no reassignment, no second version", async () => {
    const mine = digitalSpecialInvoice({ number: '25442000000310000002' });
    await apply(event('invoice.issued', mine));
    const theirs = { ...mine, sellerTaxNo: OTHER_TAX_NO, buyerName: '另一家公司' };
    await refusal(event('invoice.issued', theirs, 'dev-9', 'bj'));
    expect(await row(mine.number)).toMatchObject({
      tax_no: mine.sellerTaxNo,
      branch_id: 'sz',
      device_id: 'dev-1',
    });
    expect(
      await count(
        'SELECT COUNT(*)::int AS n FROM ledger_invoice_versions WHERE invoice_key = $1',
        mine.number,
      ),
    ).toBe(1);
  });

  it('refuses to take over a row back-filled from the authority for another taxpayer', async () => {
    const mine = digitalSpecialInvoice({ number: '25442000000310000003' });
    await db.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, period, invoice_type, invoice_number, colour, state, amount, tax_amount,
         total_amount, issued_at, source, updated_at)
       VALUES ($1, $2, '2025-03', 'DIGITAL_SPECIAL', $1, 'blue', 'issued', 4483.22, 516.78, 5000.00, $3, 'authority', now())`,
      [mine.number, mine.sellerTaxNo, mine.issuedAt],
    );
    await refusal(event('invoice.issued', { ...mine, sellerTaxNo: OTHER_TAX_NO }, 'dev-9', 'bj'));
    expect(await row(mine.number)).toMatchObject({
      tax_no: mine.sellerTaxNo,
      branch_id: null,
      device_id: null,
    });
  });

  it.each([
    ['after', false],
    ['before', true],
  ])(
    "never counts another taxpayer's red invoice towards an original (red arriving %s it)",
    async (_, redFirst) => {
      const n = redFirst ? 4 : 6;
      const original = digitalSpecialInvoice({ number: `2544200000031000000${n}` });
      const red = digitalRedInvoice({
        number: `2544200000031000000${n + 1}`,
        sellerTaxNo: OTHER_TAX_NO,
        original: { code: null, number: original.number },
      });
      const events = [event('invoice.issued', original), event('invoice.red-issued', red, 'dev-9', 'bj')];
      for (const e of redFirst ? events.reverse() : events) await apply(e);
      expect(await row(original.number)).toMatchObject({
        state: 'issued',
        red_reversed_amount: '0.00',
        tax_no: original.sellerTaxNo,
      });
      // the red invoice itself is its own taxpayer's, under its own key
      expect(await row(red.number)).toMatchObject({ tax_no: OTHER_TAX_NO, total_amount: '-5000.00' });
    },
  );

  it("still reverses an original with its own taxpayer's red invoice", async () => {
    const original = digitalSpecialInvoice({ number: '25442000000310000008' });
    const red = digitalRedInvoice({
      number: '25442000000310000009',
      original: { code: null, number: original.number },
    });
    await apply(event('invoice.issued', original));
    await apply(event('invoice.red-issued', red));
    expect(await row(original.number)).toMatchObject({
      state: 'red_reversed',
      red_reversed_amount: '5000.00',
    });
  });
});
