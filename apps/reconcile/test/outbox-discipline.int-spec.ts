import { DataSource, EntityManager } from 'typeorm';
import { ManualClock } from '@lib/common';
import { ALL_BRANCHES, AuditLog, Principal } from '@lib/platform';
import { FindingsQueryRepository } from '../src/findings/findings-query.repository';
import { FindingsRepository } from '../src/findings/findings.repository';
import { LedgerProjectionRepository } from '../src/projections/ledger-projection.repository';
import { RunsRepository } from '../src/runs/runs.repository';
import { ActOnFindingUseCase } from '../src/use-cases/act-on-finding/act-on-finding.use-case';
import { ReconcileDb } from './support/reconcile-db';

jest.setTimeout(120_000);

const PERIOD = '2026-10';
const SCOPES = [
  { taxNo: '91440300MA5OUTBX1A', prefix: '25442000001' },
  { taxNo: '91440300MA5OUTBX2B', prefix: '25442000002' },
];
const PER_SCOPE = 2_500; // pages of 1000 below; re-upload keys in every outbox bucket

const person = (subject: string): Principal => ({ kind: 'person', subject, name: subject, roles: ['finance-manager'], scope: ALL_BRANCHES });

type Event = { findingId: string; state: string; previousState: string | null };

/** The manager with every statement recorded, in order. */
function recording(m: EntityManager, statements: string[]): EntityManager {
  return new Proxy(m, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (sql: string, params?: unknown[]) => {
        statements.push(sql.replace(/\s+/g, ' ').trim());
        return target.query(sql, params);
      };
    },
  });
}

/** Statements after the transaction's first outbox bucket lock that are not the outbox's own. */
function afterFirstOutboxLock(statements: string[]): string[] {
  const first = statements.findIndex((s) => s.includes("'outbox'::regclass"));
  expect(first).toBeGreaterThanOrEqual(0);
  // outbox writes: the Node-built batches, and the commands and events PostgreSQL builds (an INSERT … SELECT counted in a CTE)
  const outboxWrite = /^(WITH written AS \( )?INSERT INTO outbox /;
  return statements.slice(first).filter((s) => !s.includes("'outbox'::regclass") && !outboxWrite.test(s));
}

/**
 * The outbox rule (docs/messaging.md): each transaction enqueues its messages once, at its end. Two merges of
 * different scopes, each writing thousands of re-upload commands (keys in all 32 buckets) and events, run at the
 * same time as people acting on findings of one of the scopes: everything completes (a deadlock would fail one
 * with 40P01 here, nothing retries), and each finding's events are in the outbox in the order of its transitions.
 */
describe('outbox discipline: concurrent merges and actions (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  let now = new Date('2026-11-20T02:00:00Z').getTime();
  const clock = new ManualClock(new Date(now));
  let act: ActOnFindingUseCase;

  const seedScope = (taxNo: string, prefix: string) =>
    db.query(
      `WITH keys AS (SELECT $2 || lpad(g::text, 9, '0') AS k FROM generate_series(1, $3::int) g),
            ledger AS (
              INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour,
                state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
              SELECT k, $1, 'sz', 'dev-1', $4, 'DIGITAL_GENERAL', NULL, k, 'blue', 'issued', 100, 13, 113, '2026-10-10T02:00:00Z',
                     '2026-10-10T02:00:00Z', 'ledger', '2026-10-10T02:00:00Z' FROM keys RETURNING invoice_key)
       INSERT INTO sync_deliveries (invoice_key, target, outcome, attempts, first_accepted_at, last_accepted_at, at)
       SELECT invoice_key, 'authority', 'accepted', 1, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z' FROM ledger`,
      [taxNo, prefix, PER_SCOPE, PERIOD],
    );
  const compare = async (taxNo: string, at: Date) => db.compare(await db.newRun(PERIOD, taxNo), PERIOD, at, true, taxNo);
  const someFindings = (taxNo: string, n: number) =>
    db.query<{ id: string }>(
      `SELECT id FROM findings WHERE tax_no = $1 AND type = 'MISSING_IN_AUTHORITY' AND state IN ('open', 'remediating', 'escalated')
        ORDER BY subject LIMIT $2`,
      [taxNo, n],
    );
  const events = async () =>
    (await db.query<{ payload: string }>(`SELECT payload FROM outbox WHERE topic = 'reconcile.findings.v1' ORDER BY id`)).map(
      (r) => JSON.parse(r.payload).data as Event,
    );

  beforeAll(async () => {
    await db.start();
    for (const s of SCOPES) await seedScope(s.taxNo, s.prefix);
    act = new ActOnFindingUseCase(
      db.dataSource,
      new FindingsQueryRepository(db.dataSource),
      new FindingsRepository(),
      db.findingEvents(),
      db.reuploads(),
      new RunsRepository(db.dataSource, db.ids),
      new LedgerProjectionRepository(),
      new AuditLog(db.dataSource, 'reconcile'),
      clock,
    );
    await compare(SCOPES[0].taxNo, new Date(now)); // scope A has findings to act on
  });
  afterAll(() => db.stop());

  it('takes the outbox bucket locks last, in a merge of several pages and in a retry (nothing but outbox writes follows them)', async () => {
    const merge: string[] = [];
    const { taxNo } = SCOPES[0];
    const run = await db.newRun(PERIOD, taxNo);
    now += 86_400_000;
    const merger = db.findingsMerge();
    merger.pageSize = 1_000;
    const phase = db.comparePhase(merger);
    await db.dataSource.transaction((m) =>
      phase.execute(recording(m, merge), { runId: run, taxNo, period: PERIOD, pullComplete: true, now: new Date(now) }),
    );
    expect(merge.filter((s) => s.startsWith('INSERT INTO findings')).length).toBeGreaterThan(1); // several pages
    expect(afterFirstOutboxLock(merge)).toEqual([]);
    const retry: string[] = [];
    const spied = { transaction: (work: (m: EntityManager) => Promise<unknown>) => db.dataSource.transaction((m) => work(recording(m, retry))) };
    const [finding] = await someFindings(taxNo, 1);
    const use = new ActOnFindingUseCase(
      spied as unknown as DataSource,
      new FindingsQueryRepository(db.dataSource),
      new FindingsRepository(),
      db.findingEvents(),
      db.reuploads(),
      new RunsRepository(db.dataSource, db.ids),
      new LedgerProjectionRepository(),
      new AuditLog(db.dataSource, 'reconcile'),
      clock,
    );
    await use.execute(finding.id, { action: 'retry', reason: 'now' }, person('dave'));
    expect(retry.some((s) => s.startsWith('UPDATE findings'))).toBe(true);
    expect(afterFirstOutboxLock(retry)).toEqual([]);
  });

  it('completes two concurrent merges of different scopes and the actions on one of them, three times over', async () => {
    for (let round = 0; round < 3; round += 1) {
      now += 86_400_000; // one visibility lag later: every finding of A is due for another re-upload
      const [resolveMe, retryMe] = await someFindings(SCOPES[0].taxNo, 2);
      const results = await Promise.allSettled([
        compare(SCOPES[0].taxNo, new Date(now)),
        compare(SCOPES[1].taxNo, new Date(now)),
        act.execute(resolveMe.id, { action: 'resolve', reason: `checked in round ${round}` }, person('alice')),
        act.execute(retryMe.id, { action: 'retry', reason: 'try again' }, person('bob')),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
    const commands = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM outbox WHERE topic = 'sync.commands.v1'`);
    expect(commands[0].n).toBeGreaterThan(4 * PER_SCOPE);
  });

  it("publishes each finding's events in the order of its transitions", async () => {
    const byFinding = new Map<string, Event[]>();
    for (const e of await events()) byFinding.set(e.findingId, [...(byFinding.get(e.findingId) ?? []), e]);
    expect(byFinding.size).toBeGreaterThanOrEqual(2 * PER_SCOPE);
    let chained = 0;
    for (const list of byFinding.values()) {
      expect(list[0].previousState).toBeNull();
      for (let i = 1; i < list.length; i += 1) expect(list[i].previousState).toBe(list[i - 1].state);
      if (list.length > 1) chained += 1;
    }
    expect(chained).toBeGreaterThan(0); // the resolved findings were reopened by later runs (or resolved after them)
  });

  it('a retry enqueues its re-upload with the next attempt, after updating the finding, in one transaction', async () => {
    const [finding] = await someFindings(SCOPES[1].taxNo, 1);
    const before = (await db.query<{ remediation_attempts: number }>('SELECT remediation_attempts FROM findings WHERE id = $1', [finding.id]))[0];
    await act.execute(finding.id, { action: 'retry', reason: 'buyer asked' }, person('carol'));
    const last = await db.query<{ payload: string }>(`SELECT payload FROM outbox WHERE topic = 'sync.commands.v1' ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(last[0].payload).data).toMatchObject({ findingId: finding.id, attempt: before.remediation_attempts + 1, requestedBy: 'person:carol' });
    expect((await db.query<{ remediation_attempts: number }>('SELECT remediation_attempts FROM findings WHERE id = $1', [finding.id]))[0]).toEqual({
      remediation_attempts: before.remediation_attempts + 1,
    });
  });
});
