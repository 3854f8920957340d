import { ManualClock } from '@lib/common';
import { loadReconcileConfig } from '../src/reconcile.config';
import { RunSchedulerService } from '../src/runs/run-scheduler.service';
import { RunsRepository } from '../src/runs/runs.repository';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

/** The schedule: every active scope (current and previous period), more often while the return is being filed. */
describe('run scheduler (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const clock = new ManualClock('2026-11-05T02:00:00Z'); // filing of 2026-10 is open
  const config = loadReconcileConfig({ RECONCILE_INTERVAL_MS: '3600000', RECONCILE_FILING_INTERVAL_MS: '900000' });
  let scheduler: RunSchedulerService;

  beforeAll(async () => {
    await db.start();
    scheduler = new RunSchedulerService(new RunsRepository(db.dataSource, db.ids), config, clock);
    await seed.ledger({ key: key(1), period: '2026-10' });
    await seed.ledger({ key: key(2), period: '2026-11' });
    await seed.ledger({ key: key(3), period: '2026-08' }); // no longer active
  });
  afterAll(() => db.stop());

  const scopes = () => db.query<{ period: string; state: string }>(`SELECT period, state FROM reconcile_runs WHERE tax_no = $1 ORDER BY created_at, period`, [TAX_NO]);

  it('queues the current and previous period once, then again after the filing interval', async () => {
    expect(await scheduler.tick()).toBe(2);
    expect((await scopes()).map((r) => r.period)).toEqual(['2026-10', '2026-11']);
    expect(await scheduler.tick()).toBe(0);
    await db.query(`UPDATE reconcile_runs SET state = 'completed'`);
    clock.advance(900_001);
    expect(await scheduler.tick()).toBe(2);
  });

  it('waits the normal interval outside the filing period', async () => {
    await db.query(`UPDATE reconcile_runs SET state = 'completed'`);
    clock.set('2026-11-25T02:00:00Z');
    expect(await scheduler.tick()).toBe(2);
    await db.query(`UPDATE reconcile_runs SET state = 'completed'`);
    clock.advance(900_001);
    expect(await scheduler.tick()).toBe(0);
    clock.advance(3_600_000);
    expect(await scheduler.tick()).toBe(2);
  });
});
