import { sleep } from '@lib/common';
import { buildEnvelope } from '@lib/contracts';
import { Invoice } from '@lib/domain';
import { digitalRedInvoice, digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { LedgerProjectionRepository } from '../src/projections/ledger-projection.repository';
import { toLedgerEventRecord } from '../src/use-cases/project-invoice-event/project-invoice-event.command';
import { ProjectInvoiceEventUseCase } from '../src/use-cases/project-invoice-event/project-invoice-event.use-case';
import { ReconcileDb } from './support/reconcile-db';

jest.setTimeout(60_000);

const event = (type: 'invoice.issued' | 'invoice.red-issued' | 'invoice.voided', inv: Invoice) =>
  toLedgerEventRecord(
    buildEnvelope(
      type,
      { invoiceKey: inv.number, invoice: { ...inv, lines: [...inv.lines] }, deviceId: 'dev-1', branchId: 'sz', taxNo: inv.sellerTaxNo, receivedAt: '2026-10-10T02:01:00Z' },
      { source: 'test', occurredAt: new Date() },
    ),
  );

/** The ledger projection's own guarantees, on the real PostgreSQL: replays and the red/original race. */
describe('ledger projection (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const useCase = new ProjectInvoiceEventUseCase(new LedgerProjectionRepository());
  const state = async (key: string) => (await db.query<{ state: string }>('SELECT state FROM ledger_invoices WHERE invoice_key = $1', [key]))[0]?.state;

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it('applies a replayed event once', async () => {
    const issued = event('invoice.issued', digitalSpecialInvoice({ number: '25442000000300000001' }));
    await db.dataSource.transaction((m) => useCase.execute(m, issued));
    await db.dataSource.transaction((m) => useCase.execute(m, issued));
    expect(await db.query('SELECT COUNT(*)::int AS n FROM ledger_events WHERE invoice_key = $1', [issued.invoiceKey])).toEqual([{ n: 1 }]);
    expect(await db.query('SELECT COUNT(*)::int AS n FROM ledger_invoice_versions WHERE invoice_key = $1', [issued.invoiceKey])).toEqual([{ n: 1 }]);
  });

  it('red-reverses the original when the red invoice and the original are applied concurrently', async () => {
    const original = digitalSpecialInvoice({ number: '25442000000300000002' });
    const red = digitalRedInvoice({ number: '25442000000300000003', original: { code: null, number: original.number } });
    // the red invoice's transaction stays open while the original's runs (different partitions do this)
    const first = db.dataSource.transaction(async (m) => {
      await useCase.execute(m, event('invoice.red-issued', red));
      await sleep(300);
    });
    await sleep(50);
    const second = db.dataSource.transaction((m) => useCase.execute(m, event('invoice.issued', original)));
    await Promise.all([first, second]);
    expect(await state(original.number)).toBe('red_reversed');
  });

  it('keeps a void that arrived before its issue', async () => {
    const inv = digitalSpecialInvoice({ number: '25442000000300000004' });
    await db.dataSource.transaction((m) => useCase.execute(m, event('invoice.voided', inv)));
    await db.dataSource.transaction((m) => useCase.execute(m, event('invoice.issued', inv)));
    expect(await state(inv.number)).toBe('voided');
  });
});
