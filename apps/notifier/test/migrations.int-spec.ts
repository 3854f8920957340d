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

  const kindAccepted = async (kind: string) => {
    try {
      await dataSource.query(
        `INSERT INTO notifications (dedupe_key, message_ref, kind, channel, destination, language, status, due_at,
                                    created_at, updated_at)
         VALUES ($1, $1, $2, 'email', 'a@x.cn', 'zh-CN', 'cancelled', now(), now(), now())`,
        [`probe:${kind}:${Math.random()}`, kind],
      );
      return true;
    } catch {
      return false;
    }
  };

  const channelAccepted = async (channel: string) => {
    try {
      await dataSource.query(
        `INSERT INTO notifications (dedupe_key, message_ref, kind, channel, destination, language, status, due_at,
                                    created_at, updated_at)
         VALUES ($1, $1, 'test', $2, 'finance', 'zh-CN', 'cancelled', now(), now(), now())`,
        [`probe:${channel}:${Math.random()}`, channel],
      );
      return true;
    } catch {
      return false;
    }
  };
  const robotOnlyRecipientAccepted = async () => {
    try {
      const id = `probe-${Math.random()}`;
      await dataSource.query(
        `INSERT INTO recipients (id, name, language, created_at, updated_at, feishu_robot)
         VALUES ($1, 'team', 'zh-CN', now(), now(), 'finance')`,
        [id],
      );
      await dataSource.query('DELETE FROM recipients WHERE id = $1', [id]);
      return true;
    } catch {
      return false;
    }
  };

  it('creates, drops and re-creates its tables, seeding the default rules', async () => {
    await prepareSchema(dataSource, schema);
    expect(await tables()).toEqual([
      'dead_letters',
      'findings',
      'maintenance_windows',
      'notifications',
      'recipient_scopes',
      'recipients',
      'routing_rules',
      'sync_problems',
    ]);
    expect(await dataSource.query('SELECT id, finding_type, level FROM routing_rules ORDER BY id')).toEqual([
      { id: 'default-critical', finding_type: null, level: 1 },
      { id: 'default-dead-letter', finding_type: 'DEAD_LETTER', level: 3 },
      { id: 'default-info', finding_type: null, level: 1 },
      { id: 'default-warning', finding_type: null, level: 1 },
    ]);
    expect(await kindAccepted('dead_letters')).toBe(true);
    expect(await kindAccepted('sync_alert')).toBe(true);
    expect(await kindAccepted('other')).toBe(false);
    expect(await channelAccepted('wecom')).toBe(true);
    expect(await channelAccepted('fax')).toBe(false);
    expect(await robotOnlyRecipientAccepted()).toBe(true);
    expect(await kindAccepted('maintenance_reminder')).toBe(true);
    await dataSource.query(
      `INSERT INTO maintenance_windows (window_id, revision, data, updated_at) VALUES (gen_random_uuid(), 1, '{}', now())`,
    );

    // maintenance notices: the table goes, and so do their notifications (the old kinds could not hold them)
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).not.toContain('maintenance_windows');
    expect(
      await dataSource.query(`SELECT COUNT(*)::int AS n FROM notifications WHERE kind LIKE 'maintenance_%'`),
    ).toEqual([{ n: 0 }]);
    expect(await kindAccepted('maintenance_reminder')).toBe(false);
    expect(await kindAccepted('dead_letters')).toBe(true);
    expect(await channelAccepted('wecom')).toBe(true);
    await prepareSchema(dataSource, schema);
    expect(await tables()).toContain('maintenance_windows');
    expect(await kindAccepted('maintenance_cancelled')).toBe(true);
    await dataSource.undoLastMigration({ transaction: 'each' });

    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await channelAccepted('wecom')).toBe(false);
    expect(await channelAccepted('email')).toBe(true);
    expect(await robotOnlyRecipientAccepted()).toBe(false);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toHaveLength(5);
    expect(await kindAccepted('sync_alert')).toBe(false);
    expect(await kindAccepted('alert')).toBe(true);
    expect((await dataSource.query('SELECT id FROM routing_rules')) as unknown[]).toHaveLength(3);
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    await prepareSchema(dataSource, schema);
    expect(await tables()).toHaveLength(8);
  });
});
