import { randomUUID } from 'node:crypto';
import { CreateInbox1763800000001, CreateOutbox1763800000000 } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { CreateAuditLog1766000000000 } from '@lib/platform';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { CreateMaintenanceWindows1766000004000 } from '../src/persistence/migrations/create-maintenance-windows.migration';
import { RECONCILE_MIGRATIONS } from '../src/persistence/migrations';

const MAINTENANCE = new CreateMaintenanceWindows1766000004000().name;

/**
 * Reconcile's maintenance windows migration reverts cleanly and applies again, with the migrations applied after it
 * (reverted first, re-applied after), on a throw-away schema of the real PostgreSQL.
 */
describe('reconcile migrations (real PostgreSQL)', () => {
  const schema = uniqueName('reconcile_mig');
  const dataSource = createServiceDataSource({
    url: testDatabaseUrl(),
    schema,
    migrations: [
      CreateOutbox1763800000000,
      CreateInbox1763800000001,
      CreateAuditLog1766000000000,
      ...RECONCILE_MIGRATIONS,
    ],
    poolSize: 2,
  });
  const tables = async () =>
    (
      (await dataSource.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema],
      )) as { table_name: string }[]
    ).map((r) => r.table_name);
  const applied = async () =>
    ((await dataSource.query('SELECT name FROM schema_migrations ORDER BY id')) as { name: string }[]).map(
      (r) => r.name,
    );
  const insertWindow = (over: { state?: string; cancelReason?: string | null; endsAt?: string } = {}) =>
    dataSource.query(
      `INSERT INTO maintenance_windows (id, target, starts_at, ends_at, reason, tax_nos, state, revision, cancel_reason,
         created_by_kind, created_by_subject, created_by_name, created_at, updated_by_kind, updated_by_subject, updated_by_name, updated_at)
       VALUES ($1, 'authority', '2026-11-20T14:00:00Z', $2, '税局系统升级', NULL, $3, 1, $4,
               'person', 'admin-1', '系统管理员', now(), 'person', 'admin-1', '系统管理员', now())`,
      [
        randomUUID(),
        over.endsAt ?? '2026-11-20T22:00:00Z',
        over.state ?? 'scheduled',
        over.cancelReason ?? null,
      ],
    );
  const refused = async (write: Promise<unknown>) =>
    write.then(
      () => false,
      () => true,
    );

  beforeAll(() => dataSource.initialize());
  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(schema);
  });

  it('creates maintenance_windows with its rules, drops it on the way down and re-creates it', async () => {
    await prepareSchema(dataSource, schema);
    const all = await tables();
    expect(all).toContain('maintenance_windows');
    await insertWindow();
    expect(await refused(insertWindow({ endsAt: '2026-11-20T13:00:00Z' }))).toBe(true); // ends before it starts
    expect(await refused(insertWindow({ state: 'cancelled' }))).toBe(true); // cancelled without a reason
    expect(await refused(insertWindow({ state: 'postponed' }))).toBe(true);
    await insertWindow({ state: 'cancelled', cancelReason: '税局取消维护' });

    // revert what came after it, then it
    const after = (await applied()).slice((await applied()).indexOf(MAINTENANCE) + 1);
    const undone: string[] = [];
    while ((await applied()).includes(MAINTENANCE)) {
      const last = (await applied()).at(-1)!;
      await dataSource.undoLastMigration({ transaction: 'each' });
      undone.push(last);
      expect(undone.length).toBeLessThanOrEqual(after.length + 1);
    }
    expect(undone).toEqual([...after].reverse().concat(MAINTENANCE));
    const down = await tables();
    expect(down).not.toContain('maintenance_windows');
    expect(down).toEqual(expect.arrayContaining(['findings', 'reconcile_runs', 'audit_log', 'outbox']));

    expect(await prepareSchema(dataSource, schema)).toEqual([MAINTENANCE, ...after]);
    expect(await tables()).toEqual(all);
    expect(await dataSource.query('SELECT COUNT(*)::int AS n FROM maintenance_windows')).toEqual([{ n: 0 }]);
    await insertWindow();
    expect(await refused(insertWindow({ state: 'cancelled' }))).toBe(true);
    expect(
      await dataSource.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'maintenance_windows' ORDER BY 1`,
        [schema],
      ),
    ).toEqual([
      { indexname: 'maintenance_windows_listed' },
      { indexname: 'maintenance_windows_pkey' },
      { indexname: 'maintenance_windows_scheduled' },
    ]);
  });
});
