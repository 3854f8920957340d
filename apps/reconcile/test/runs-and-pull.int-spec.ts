import { ManualClock } from '@lib/common';
import { PullService, PullSettings } from '../src/pull/pull.service';
import { StagingRepository } from '../src/pull/staging.repository';
import { RunsRepository } from '../src/runs/runs.repository';
import { RunReconciliationUseCase } from '../src/use-cases/run-reconciliation/run-reconciliation.use-case';
import { authorityRecord, FakeAuthorityChannel } from './support/fake-authority.channel';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { pullService, runUseCase } from './support/run-wiring';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

/** Runs: one at a time per scope across workers, leases, the resumable pull, fallback channels and the incomplete rule. */
describe('runs and the authority pull (real PostgreSQL, fake channels)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const settings: PullSettings = { pageSize: 2, minIntervalMs: 0, pageAttempts: 3, backoffMs: 0, leaseMs: 60_000 };
  const authority = new FakeAuthorityChannel('authority');
  const baiwang = new FakeAuthorityChannel('baiwang');
  let runs: RunsRepository;
  let useCase: (channels: FakeAuthorityChannel[]) => RunReconciliationUseCase;
  let pull: (channels: FakeAuthorityChannel[]) => PullService;

  beforeAll(async () => {
    await db.start();
    runs = new RunsRepository(db.dataSource, db.ids);
    pull = (channels) => pullService(db.dataSource, channels, settings, clock);
    useCase = (channels) => runUseCase(db.dataSource, runs, pull(channels), db.comparePhase(), settings, clock);
    for (let i = 1; i <= 5; i += 1) {
      await seed.ledger({ key: key(i) });
      await seed.delivery(key(i), 'authority', 'accepted', '2026-10-10T03:00:00Z');
    }
    await seed.clearCard('dev-1', '2026-10', 'succeeded', '2026-11-02T01:00:00Z');
    await seed.clearCard('dev-1', '2026-08', 'succeeded', '2026-09-02T01:00:00Z');
    authority.records = [1, 2, 3, 4].map((i) => authorityRecord(key(i)));
    baiwang.records = [1, 2, 3, 4].map((i) => authorityRecord(key(i)));
  });
  afterAll(() => db.stop());
  beforeEach(() => {
    authority.calls = [];
    baiwang.calls = [];
    authority.down = false;
    baiwang.down = false;
  });

  const finished = async (period: string) => {
    const claimed = await runs.claim('worker-a', clock.now(), settings.leaseMs);
    expect(claimed?.period).toBe(period);
    return claimed!;
  };

  it('allows one active run per scope, and one worker per run', async () => {
    const a = await runs.enqueue(TAX_NO, '2026-09', 'api', 'tester', clock.now());
    const b = await runs.enqueue(TAX_NO, '2026-09', 'schedule', 'scheduler', clock.now());
    expect(b).toEqual({ runId: a.runId, created: false });
    const [one, two] = await Promise.all([runs.claim('worker-a', clock.now(), 60_000), runs.claim('worker-b', clock.now(), 60_000)]);
    expect([one?.id, two?.id].filter(Boolean)).toEqual([a.runId]);
    // the lease expires: another worker takes over, and the first can no longer write
    clock.advance(61_000);
    const takeover = await runs.claim('worker-b', clock.now(), 60_000);
    expect(takeover).toMatchObject({ id: a.runId, workerId: 'worker-b' });
    await expect(db.dataSource.transaction((m) => runs.progress(m, { id: a.runId, workerId: 'worker-a' }, { phase: 'pulling' }, clock.now(), 60_000))).rejects.toMatchObject({
      code: 'RUN_LEASE_LOST',
    });
    await db.dataSource.transaction((m) => runs.finish(m, { id: a.runId, workerId: 'worker-b' }, { state: 'failed' }, clock.now()));
  });

  it('pulls every page (retrying a transient failure), stages it with its channel, and completes', async () => {
    authority.failPages.set(2, 2);
    const { runId } = await runs.enqueue(TAX_NO, '2026-10', 'api', 'tester', clock.now());
    const run = await finished('2026-10');
    await useCase([authority, baiwang]).execute({ ...run, workerId: 'worker-a' });
    const done = await runs.get(runId);
    expect(done).toMatchObject({ state: 'completed', pullComplete: true, channel: 'authority', pages: 2, records: 4, incompleteReason: null });
    expect(authority.calls.map((c) => c.pageToken)).toEqual([null, '2', '2', '2']);
    expect(await db.query('SELECT channel, COUNT(*)::int AS n FROM authority_staged WHERE run_id = $1 GROUP BY channel', [runId])).toEqual([{ channel: 'authority', n: 4 }]);
    // dev-1 cleared October but, past the deadline, has no 抄报 for it
    expect((done!.counts as { discrepancies: Record<string, number> }).discrepancies).toEqual({ MISSING_IN_AUTHORITY: 1, REPORT_MISSING: 1 });
  });

  it('uses the alternate channel when the authority is down, and records it', async () => {
    authority.down = true;
    clock.advance(3_600_000);
    const { runId } = await runs.enqueue(TAX_NO, '2026-10', 'api', 'tester', clock.now());
    await useCase([authority, baiwang]).execute({ ...(await finished('2026-10')), workerId: 'worker-a' });
    expect(await runs.get(runId)).toMatchObject({ state: 'completed', channel: 'baiwang', records: 4 });
    expect(authority.calls).toHaveLength(1);
    expect(await db.query('SELECT DISTINCT channel FROM authority_staged WHERE run_id = $1', [runId])).toEqual([{ channel: 'baiwang' }]);
  });

  it('ends incomplete, says why, and opens no MISSING_* finding when every channel fails', async () => {
    authority.down = true;
    baiwang.down = true;
    await seed.ledger({ key: key(20), period: '2026-08' });
    const { runId } = await runs.enqueue(TAX_NO, '2026-08', 'api', 'tester', clock.now());
    await useCase([authority, baiwang]).execute({ ...(await finished('2026-08')), workerId: 'worker-a' });
    const run = await runs.get(runId);
    expect(run).toMatchObject({ state: 'incomplete', pullComplete: false });
    expect(run?.incompleteReason).toBe(
      'the authority pull did not finish, so no MISSING_* finding was opened: authority: BREAKER_OPEN (authority is unavailable) on page 1; baiwang: BREAKER_OPEN (baiwang is unavailable) on page 1',
    );
    expect(await db.query(`SELECT COUNT(*)::int AS n FROM findings WHERE period = '2026-08' AND type LIKE 'MISSING%'`)).toEqual([{ n: 0 }]);
  });

  it('resumes a crashed pull from its stored page token without re-staging earlier pages', async () => {
    const { runId } = await runs.enqueue(TAX_NO, '2026-10', 'api', 'tester', clock.now());
    const claimed = await finished('2026-10');
    // the state a crash after page 1 leaves behind: page 1 staged, its token stored, the lease expired
    await db.dataSource.transaction(async (m) => {
      await new StagingRepository().stagePage(m, runId, 1, 'authority', authority.records.slice(0, 2), clock.now());
      await runs.progress(m, { id: runId, workerId: 'worker-a' }, { phase: 'pulling', channel: 'authority', pageToken: '2', pages: 1, records: 2 }, clock.now(), 1_000);
    });
    clock.advance(2_000);
    const resumed = await runs.claim('worker-b', clock.now(), settings.leaseMs);
    expect(resumed).toMatchObject({ id: claimed.id, pageToken: '2', pages: 1 });
    await useCase([authority, baiwang]).execute({ ...resumed!, workerId: 'worker-b' });
    expect(authority.calls.map((c) => c.pageToken)).toEqual(['2']);
    expect(await runs.get(runId)).toMatchObject({ state: 'completed', pages: 2, records: 4 });
    expect(await db.query('SELECT COUNT(DISTINCT invoice_key)::int AS keys, COUNT(*)::int AS n FROM authority_staged WHERE run_id = $1', [runId])).toEqual([{ keys: 4, n: 4 }]);
  });

  it('keeps the staged records of the latest two finished runs of a scope only', async () => {
    const staged = await db.query<{ run_id: string }>(
      `SELECT DISTINCT s.run_id FROM authority_staged s JOIN reconcile_runs r ON r.id = s.run_id WHERE r.period = '2026-10'`,
    );
    const latest = await db.query<{ id: string }>(`SELECT id FROM reconcile_runs WHERE period = '2026-10' ORDER BY created_at DESC LIMIT 2`);
    expect(staged.map((r) => r.run_id).sort()).toEqual(latest.map((r) => r.id).sort());
  });
});
