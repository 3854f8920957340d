import { CreateInbox1763800000001, CreateOutbox1763800000000 } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { NOTIFIER_MIGRATIONS } from '../src/persistence/migrations';

/** The notifier's hand-written migrations apply, revert cleanly and apply again. */
describe('notifier migrations (real PostgreSQL)', () => {
  const schema = uniqueName('notifier_mig');
  const dataSource = createServiceDataSource({
    url: testDatabaseUrl(),
    schema,
    migrations: [CreateOutbox1763800000000, CreateInbox1763800000001, ...NOTIFIER_MIGRATIONS],
    poolSize: 2,
  });
  const tables = async () =>
    (
      (await dataSource.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema],
      )) as { table_name: string }[]
    )
      .map((r) => r.table_name)
      .filter((t) => !['inbox', 'outbox', 'schema_migrations'].includes(t));

  beforeAll(() => dataSource.initialize());
  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(schema);
  });

  it('creates, drops and re-creates its tables, seeding the default rules', async () => {
    await prepareSchema(dataSource, schema);
    expect(await tables()).toEqual([
      'findings',
      'notifications',
      'recipient_scopes',
      'recipients',
      'routing_rules',
    ]);
    expect(await dataSource.query('SELECT id FROM routing_rules ORDER BY id')).toEqual([
      { id: 'default-critical' },
      { id: 'default-info' },
      { id: 'default-warning' },
    ]);
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    await prepareSchema(dataSource, schema);
    expect(await tables()).toHaveLength(5);
  });
});
