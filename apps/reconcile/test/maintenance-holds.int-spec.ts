import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { MaintenanceTarget } from '@lib/contracts';
import { MaintenanceWindowsRepository } from '../src/maintenance/maintenance-windows.repository';
import { authorityRecord, FakeAuthorityChannel } from './support/fake-authority.channel';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { scopeRuns } from './support/scope-runs';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const admin = { kind: 'person' as const, subject: 'admin-1', name: '系统管理员' };

/**
 * Maintenance windows hold the missing-data findings they explain (docs/maintenance.md): whole runs against real
 * PostgreSQL with a fake authority and an injected clock. During an authority window and its grace (4 h by default)
 * nothing is raised from data the window kept away, and the window's time is off RECONCILIATION_INCOMPLETE's clock;
 * what is still missing after the grace is raised as usual.
 */
describe('maintenance windows hold missing-data findings (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const clock = new ManualClock('2026-11-05T02:00:00Z');
  const authority = new FakeAuthorityChannel('authority');
  const windows = new MaintenanceWindowsRepository();

  const run = scopeRuns(db, clock, PERIOD);
  const announce = (target: MaintenanceTarget, startsAt: string, endsAt: string, taxNos: string[] | null = [TAX_NO]) =>
    windows.insert(db.dataSource.manager, {
      id: randomUUID(),
      target,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      reason: '税局系统升级',
      taxNos,
      state: 'scheduled',
      revision: 1,
      cancelReason: null,
      createdBy: admin,
      createdAt: clock.now(),
      updatedBy: admin,
      updatedAt: clock.now(),
    });
  const open = async (type: string) =>
    (await db.query<{ subject: string }>(
      `SELECT subject FROM findings WHERE tax_no = $1 AND period = $2 AND type = $3 AND state IN ('open', 'remediating', 'escalated') ORDER BY subject`,
      [TAX_NO, PERIOD, type],
    )).map((r) => r.subject);

  beforeAll(async () => {
    await db.start();
    await seed.ledger({ key: key(1) });
    await seed.delivery(key(1), 'authority', 'accepted', '2026-10-10T03:00:00Z');
    authority.records = [authorityRecord(key(1))];
  });
  afterAll(() => db.stop());

  it('RECONCILIATION_INCOMPLETE: nothing during the window and its grace, and the window’s 12 hours do not count', async () => {
    authority.down = true;
    await announce('authority', '2026-11-05T04:00:00Z', '2026-11-05T16:00:00Z');
    expect(await run([authority])).toMatchObject({ state: 'incomplete' }); // 02:00, the series begins
    clock.set('2026-11-05T15:00:00Z'); // 13 h: without the window, raised now
    expect(await run([authority])).toMatchObject({ state: 'incomplete' });
    clock.set('2026-11-05T19:59:00Z'); // after the end, within the grace
    await run([authority]);
    expect(await open('RECONCILIATION_INCOMPLETE')).toEqual([]);
    clock.set('2026-11-05T21:00:00Z'); // 19 h, of which 12 h of maintenance: 7 h count
    await run([authority]);
    clock.set('2026-11-06T01:59:00Z'); // 11 h 59 min count
    await run([authority]);
    expect(await open('RECONCILIATION_INCOMPLETE')).toEqual([]);
    clock.set('2026-11-06T02:00:00Z'); // 12 h count: still incomplete, so raised
    await run([authority]);
    expect(await open('RECONCILIATION_INCOMPLETE')).toEqual(['reconciliation']);
  });

  it('MISSING_IN_AUTHORITY: an invoice due visible during the window waits until its end plus the grace; one due before it does not', async () => {
    authority.down = false;
    clock.set('2026-11-08T01:00:00Z');
    await seed.ledger({ key: key(2) });
    await seed.delivery(key(2), 'authority', 'accepted', '2026-11-07T03:00:00Z'); // visible due 11-08 03:00, in the window
    await seed.ledger({ key: key(3) });
    await seed.delivery(key(3), 'authority', 'accepted', '2026-11-06T00:00:00Z'); // due 11-07 00:00, before it
    // a Baiwang window concerns only what Baiwang delivered, and one of another taxpayer none of ours
    await announce('baiwang', '2026-11-07T00:00:00Z', '2026-11-09T00:00:00Z');
    await announce('authority', '2026-11-07T00:00:00Z', '2026-11-09T00:00:00Z', ['91110000MA01ABCD1X']);
    await announce('authority', '2026-11-08T00:00:00Z', '2026-11-08T06:00:00Z');

    clock.set('2026-11-08T05:00:00Z');
    expect(await run([authority])).toMatchObject({ state: 'completed' });
    expect(await open('MISSING_IN_AUTHORITY')).toEqual([key(3)]);
    clock.set('2026-11-08T09:59:00Z');
    await run([authority]);
    expect(await open('MISSING_IN_AUTHORITY')).toEqual([key(3)]);
    clock.set('2026-11-08T10:00:00Z'); // end + 4 h: still not at the authority, so raised
    await run([authority]);
    expect(await open('MISSING_IN_AUTHORITY')).toEqual([key(2), key(3)].sort());
    // the complete runs resolved the scope's incompleteness
    expect(await open('RECONCILIATION_INCOMPLETE')).toEqual([]);
  });
});
