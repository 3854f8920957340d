import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { createServiceDataSource, prepareSchema, schemaExists } from '../src/data-source.factory';

jest.setTimeout(60_000);

/** How many times each migration's up() ran in this process (the two DataSources share the classes). */
const runs: Record<string, number> = {};

class SlowFirst1763000000001 implements MigrationInterface {
  name = 'SlowFirst1763000000001';
  async up(q: QueryRunner): Promise<void> {
    runs[this.name] = (runs[this.name] ?? 0) + 1;
    await q.query('SELECT pg_sleep(0.5)');
    await q.query('CREATE TABLE widgets (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE widgets');
  }
}

class Second1763000000002 implements MigrationInterface {
  name = 'Second1763000000002';
  async up(q: QueryRunner): Promise<void> {
    runs[this.name] = (runs[this.name] ?? 0) + 1;
    await q.query('CREATE INDEX widgets_id_desc ON widgets (id DESC)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX widgets_id_desc');
  }
}

const MIGRATIONS = [SlowFirst1763000000001, Second1763000000002];

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function urlAs(role: string): string {
  const url = new URL(testDatabaseUrl());
  url.username = role;
  url.password = '';
  return url.toString();
}

describe('prepareSchema (real PostgreSQL)', () => {
  const opened: DataSource[] = [];
  const open = async (schema: string, url = testDatabaseUrl()) => {
    // A pool of one: the lock, the lookup and the migrations must share one connection.
    const ds = createServiceDataSource({ url, schema, poolSize: 1, migrations: MIGRATIONS });
    opened.push(await ds.initialize());
    return ds;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((ds) => ds.destroy()));
    for (const key of Object.keys(runs)) delete runs[key];
  });

  it('lets two processes start together on a fresh schema: both succeed, the migrations run once', async () => {
    const schema = uniqueName('prep');
    try {
      const [a, b] = await Promise.all([open(schema), open(schema)]);
      const waited: string[] = [];
      const results = await Promise.all([
        prepareSchema(a, schema, { lockRetryMs: 50, onWait: () => waited.push('a') }),
        prepareSchema(b, schema, { lockRetryMs: 50, onWait: () => waited.push('b') }),
      ]);
      // One applied both migrations, the other waited for it and found nothing pending.
      expect(results.map((r) => r.length).sort()).toEqual([0, 2]);
      expect(results.flat()).toEqual(['SlowFirst1763000000001', 'Second1763000000002']);
      expect(waited).toHaveLength(1);
      expect(runs).toEqual({ SlowFirst1763000000001: 1, Second1763000000002: 1 });
      const rows = (await a.query(`SELECT name FROM "${schema}".schema_migrations ORDER BY id`)) as {
        name: string;
      }[];
      expect(rows.map((r) => r.name)).toEqual(['SlowFirst1763000000001', 'Second1763000000002']);
      // The lock is released and the connections went back to the pool (of one) usable.
      expect(await prepareSchema(a, schema)).toEqual([]);
      const held = (await b.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = hashtext($1)::oid",
        [schema],
      )) as { n: number }[];
      expect(held[0].n).toBe(0);
    } finally {
      await dropSchema(schema);
    }
  });

  it('starts with a role that has USAGE and CREATE on its existing schema only (no CREATE on the database)', async () => {
    const schema = uniqueName('least');
    const role = uniqueName('svc_role');
    await admin(async (c) => {
      await c.query(`CREATE ROLE "${role}" LOGIN`);
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO "${role}"`);
      await c.query(
        `REVOKE CREATE ON DATABASE "${(await c.query('SELECT current_database() AS d')).rows[0].d}" FROM "${role}"`,
      );
    });
    try {
      const ds = await open(schema, urlAs(role));
      // The statement every start used to run is refused to this role, although the schema exists.
      await expect(ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)).rejects.toThrow(
        /permission denied for database/,
      );
      expect(await prepareSchema(ds, schema)).toEqual(['SlowFirst1763000000001', 'Second1763000000002']);
      expect(await prepareSchema(ds, schema)).toEqual([]);
      expect(await schemaExists(ds, uniqueName('absent'))).toBe(false);
      // A missing schema still needs CREATE on the database: the error says so.
      const missing = uniqueName('missing');
      const other = await open(missing, urlAs(role));
      await expect(prepareSchema(other, missing)).rejects.toThrow(/permission denied for database/);
    } finally {
      await Promise.all(opened.splice(0).map((ds) => ds.destroy()));
      await dropSchema(schema);
      await admin(async (c) => {
        await c.query(`DROP OWNED BY "${role}"`);
        await c.query(`DROP ROLE "${role}"`);
      });
    }
  });
});
