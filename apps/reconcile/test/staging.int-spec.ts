import { AuthorityListRecord } from '../src/pull/authority-list.port';
import { collapse, StagingRepository } from '../src/pull/staging.repository';
import { ReconcileDb } from './support/reconcile-db';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const NOW = new Date('2026-11-20T02:00:00Z');

const record = (
  n: number,
  total = '113.00',
  status: AuthorityListRecord['status'] = 'NORMAL',
): AuthorityListRecord => ({
  invoiceKey: key(n),
  type: 'DIGITAL_GENERAL',
  code: null,
  number: key(n),
  issuedAt: '2026-10-10T02:00:00Z',
  amount: (Number(total) - 13).toFixed(2),
  taxAmount: '13.00',
  totalAmount: total,
  status,
});

describe('collapse (one page)', () => {
  it('keeps the last occurrence of a key, and the other contents of a key listed with several', () => {
    const rows = collapse([
      record(1),
      record(2),
      record(1, '213.00'),
      record(2, '113.00', 'VOIDED'),
      record(1),
    ]);
    expect(
      rows.map((r) => [r.record.invoiceKey, r.record.totalAmount, r.record.status, r.latest, r.conflicting]),
    ).toEqual([
      [key(1), '113.00', 'NORMAL', true, true],
      [key(1), '213.00', 'NORMAL', false, true],
      // the same money with another status is the same content: the later observation wins, no conflict
      [key(2), '113.00', 'VOIDED', true, false],
    ]);
  });
});

/**
 * Staging keeps one row per (run, key), the latest, and the contents of keys listed with different money; the
 * comparison reads them as they are (real PostgreSQL).
 */
describe('staging of pulled pages (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const staging = new StagingRepository();
  let run: string;

  const stage = (pageNo: number, items: AuthorityListRecord[]) =>
    db.dataSource.transaction((m) =>
      staging.stagePage(m, run, pageNo, 'authority', items, new Date(`2026-11-20T01:0${pageNo}:00Z`)),
    );
  const staged = () =>
    db.query<{
      invoice_key: string;
      total_amount: string;
      status: string;
      page_no: number;
      conflicting: boolean;
    }>(
      'SELECT invoice_key, total_amount, status, page_no, conflicting FROM authority_staged WHERE run_id = $1 ORDER BY invoice_key',
      [run],
    );
  const versions = () =>
    db.query<{ invoice_key: string; total_amount: string; page_no: number }>(
      'SELECT invoice_key, total_amount, page_no FROM authority_staged_versions WHERE run_id = $1 ORDER BY invoice_key, total_amount',
      [run],
    );

  beforeAll(async () => {
    await db.start();
    run = await db.newRun(PERIOD);
  });
  afterAll(() => db.stop());

  it('replaces a key listed again, flags and keeps every content of a key listed with different money', async () => {
    await stage(1, [record(101), record(102), record(104)]);
    await stage(2, [record(101, '213.00'), record(102, '113.00', 'VOIDED')]);
    await stage(3, [record(103), record(103, '313.00'), record(104), record(104)]);
    expect(await staged()).toEqual([
      { invoice_key: key(101), total_amount: '213.00', status: 'NORMAL', page_no: 2, conflicting: true },
      { invoice_key: key(102), total_amount: '113.00', status: 'VOIDED', page_no: 2, conflicting: false },
      { invoice_key: key(103), total_amount: '313.00', status: 'NORMAL', page_no: 3, conflicting: true },
      { invoice_key: key(104), total_amount: '113.00', status: 'NORMAL', page_no: 3, conflicting: false },
    ]);
    expect(await versions()).toEqual([
      { invoice_key: key(101), total_amount: '113.00', page_no: 1 },
      { invoice_key: key(101), total_amount: '213.00', page_no: 2 },
      { invoice_key: key(103), total_amount: '113.00', page_no: 3 },
      { invoice_key: key(103), total_amount: '313.00', page_no: 3 },
    ]);
    // a third content, then the first again: the flag stays, each content once
    await stage(4, [record(101, '413.00')]);
    await stage(5, [record(101)]);
    expect((await staged())[0]).toEqual({
      invoice_key: key(101),
      total_amount: '113.00',
      status: 'NORMAL',
      page_no: 5,
      conflicting: true,
    });
    expect((await versions()).filter((v) => v.invoice_key === key(101)).map((v) => v.total_amount)).toEqual([
      '113.00',
      '213.00',
      '413.00',
    ]);
  });

  it('reports the authority-side conflicts as duplicates with their versions, and compares the latest of the others', async () => {
    for (const n of [101, 102, 103, 104]) await seed.ledger({ key: key(n) });
    const result = await db.compare(run, PERIOD, NOW);
    // (dev-1, the seeded invoices' device, never cleared its card: the device rules are not this test's business)
    // (dev-1 sent nothing for the period either: DEVICE_SILENT past the deadline)
    expect(result.discrepancies).toEqual({ DUPLICATE_INVOICE: 2, STATUS_MISMATCH: 1, CLEAR_CARD_OVERDUE: 1, DEVICE_SILENT: 1 });
    const duplicate = await db.query<{
      explanation: string;
      evidence: { versions: { side: string; totalAmount: string }[] };
    }>(`SELECT explanation, evidence FROM findings WHERE type = 'DUPLICATE_INVOICE' AND subject = $1`, [
      key(101),
    ]);
    expect(duplicate[0].evidence.versions.map((v) => `${v.side} ${v.totalAmount}`)).toEqual([
      'ledger 113.00',
      'authority 113.00',
      'authority 213.00',
      'authority 413.00',
    ]);
    expect(duplicate[0].explanation).toBe(
      `电子发票(普通发票) ${key(101)}存在相互冲突的版本：税局记录中3个（价税合计分别为 113.00 元、213.00 元、413.00 元）；需专人判断哪一个正确。`,
    );
  });

  it('keeps the ledger keys with more than one content in ledger_conflicting_keys, whoever writes the versions', async () => {
    await seed.ledger({ key: key(201) });
    await seed.ledger({ key: key(202) });
    await seed.version(key(202), '226.00', '200.00', '26.00');
    const keys = await db.query<{ invoice_key: string }>(
      'SELECT invoice_key FROM ledger_conflicting_keys WHERE invoice_key = ANY($1) ORDER BY 1',
      [[key(201), key(202)]],
    );
    expect(keys).toEqual([{ invoice_key: key(202) }]);
  });

  it('clears a run (a pull restarted on another channel) in both tables', async () => {
    await db.dataSource.transaction((m) => staging.clear(m, run));
    expect(await staged()).toEqual([]);
    expect(await versions()).toEqual([]);
  });
});
