import { SequenceIdSource } from '@lib/common';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';
import { FindingsRepository } from '../src/findings/findings.repository';
import { LedgerProjectionRepository } from '../src/projections/ledger-projection.repository';
import { RunsRepository } from '../src/runs/runs.repository';
import { findingRow } from './support/finding-row';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const NOW = new Date('2026-11-20T02:00:00Z');

/** What the run and the finding actions write through their repositories, on real PostgreSQL. */
describe("the pipeline's repositories", () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  let runs: RunsRepository;

  beforeAll(async () => {
    await db.start();
    runs = new RunsRepository(db.dataSource, new SequenceIdSource(7));
  });
  afterAll(() => db.stop());

  it('queues a run under the id the id source gives', async () => {
    const expected = new SequenceIdSource(7).uuid();
    expect(await runs.enqueue(TAX_NO, PERIOD, 'test', 'test', NOW)).toEqual({ runId: expected, created: true });
  });

  it("counts the run's staged records, and only its own", async () => {
    const run = await db.newRun(PERIOD);
    const other = await db.newRun(PERIOD);
    await seed.staged(run, { key: key(1) });
    await seed.staged(run, { key: key(2) });
    await seed.staged(other, { key: key(3) });
    expect(await db.dataSource.transaction((m) => runs.stagedCount(m, run))).toBe(2);
    expect(await db.dataSource.transaction((m) => runs.stagedCount(m, db.ids.uuid()))).toBe(0);
  });

  it("holds the scope's lock until the transaction ends: another scope is free, the same one waits", async () => {
    const tryLock = (taxNo: string) =>
      db.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1::int, hashtext($2)) AS ok", [
        // the class the run and the received invoices' findings lock a scope with
        ADVISORY_LOCK_CLASSES.reconcileScope,
        `${taxNo}/${PERIOD}`,
      ]);
    await db.dataSource.transaction(async (m) => {
      await runs.lockScope(m, TAX_NO, PERIOD);
      expect(await tryLock(TAX_NO)).toEqual([{ ok: false }]);
      expect(await tryLock('91440300MA5OTHER1X')).toEqual([{ ok: true }]);
    });
    expect(await tryLock(TAX_NO)).toEqual([{ ok: true }]);
  });

  it('confirms an invoice back-filled from the authority, never one of the ledger', async () => {
    await seed.ledger({ key: key(11), source: 'authority' });
    await seed.ledger({ key: key(12) });
    const ledger = new LedgerProjectionRepository();
    await db.dataSource.transaction(async (m) => {
      await ledger.confirmBackfilled(m, key(11), NOW, 'alice');
      await ledger.confirmBackfilled(m, key(12), NOW, 'alice');
    });
    expect(
      await db.query('SELECT invoice_key, confirmed_at, confirmed_by FROM ledger_invoices WHERE invoice_key = ANY($1) ORDER BY invoice_key', [
        [key(11), key(12)],
      ]),
    ).toEqual([
      { invoice_key: key(11), confirmed_at: NOW, confirmed_by: 'alice' },
      { invoice_key: key(12), confirmed_at: null, confirmed_by: null },
    ]);
  });

  it("sets a finding's state by a person's decision, and marks it remediating with the attempt", async () => {
    const findings = new FindingsRepository();
    const run = await db.newRun(PERIOD);
    const decided = findingRow(key(21), NOW, { id: db.ids.uuid(), taxNo: TAX_NO, period: PERIOD, state: 'open' });
    const retried = findingRow(key(22), NOW, { id: db.ids.uuid(), taxNo: TAX_NO, period: PERIOD, state: 'open', type: 'MISSING_IN_AUTHORITY' });
    await db.dataSource.transaction((m) => findings.upsert(m, [decided, retried], run));
    const later = new Date(NOW.getTime() + 60_000);
    await db.dataSource.transaction(async (m) => {
      await findings.setState(m, decided.id, 'ignored', 'ignored by alice', later);
      await findings.markRemediating(m, retried.id, 2, 're-upload 2', later);
    });
    const rows = await db.query(
      `SELECT id, state, explanation, updated_at, remediation_attempts, last_remediated_at FROM findings WHERE id = ANY($1::uuid[])`,
      [[decided.id, retried.id]],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: decided.id, state: 'ignored', explanation: 'ignored by alice', updated_at: later, remediation_attempts: 0, last_remediated_at: null },
        { id: retried.id, state: 'remediating', explanation: 're-upload 2', updated_at: later, remediation_attempts: 2, last_remediated_at: later },
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});
