import {
  DataSource,
  EntitySchema,
  MigrationExecutor,
  MigrationInterface,
  MixedList,
  QueryRunner,
} from 'typeorm';
import { ADVISORY_LOCK_CLASSES } from './advisory-lock-classes';

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own schema: every unqualified table name resolves here (search_path). */
  schema: string;
  entities?: MixedList<EntityClass | string | EntitySchema>;
  migrations?: (new () => MigrationInterface)[];
  poolSize?: number;
  applicationName?: string;
  /** Statement timeout protects the pool from runaway queries. */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeORM entity classes have arbitrary constructors
export type EntityClass = new (...args: any[]) => unknown;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

/**
 * One DataSource per service schema. `synchronize` is never on: the schema changes only through
 * the service's hand-written migrations. The search_path makes migrations and raw SQL schema-agnostic,
 * which lets tests run each suite in a throw-away schema.
 */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  assertSchemaName(options.schema);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 5_000,
    extra: {
      options: `-c search_path=${options.schema},public -c statement_timeout=${options.statementTimeoutMs ?? 60_000}`,
      idleTimeoutMillis: 30_000,
    },
  });
}

/**
 * Namespace of the session advisory lock held while a schema is prepared (`pg_advisory_lock(MIGRATION_LOCK_CLASS,
 * hashtext(schema))`): one per schema, so pods of one service starting together migrate one after the other.
 */
export const MIGRATION_LOCK_CLASS = ADVISORY_LOCK_CLASSES.schemaMigration;

export interface PrepareSchemaOptions {
  /** How often to try again for the lock while another process holds it (default 250 ms). */
  lockRetryMs?: number;
  /** Told once when the lock is held by someone else (another pod migrating the same schema). */
  onWait?: () => void;
}

/**
 * Creates the schema when it is missing, then runs the pending migrations, under a session advisory lock per schema.
 *
 * - The lock: TypeORM's migration runner takes none, so two processes starting together with a migration pending
 *   would both run it and one would fail on "already exists". Here the second waits until the first is done, then
 *   finds nothing pending. The lock is retried (pg_try_advisory_lock) rather than waited for in one statement, so the
 *   wait is not cut short by the connection's statement_timeout; a process that dies while holding it loses it with
 *   its connection.
 * - Least privilege: the schema's existence is looked up first (pg_namespace, readable by every role), and
 *   `CREATE SCHEMA` runs only when it is missing, since PostgreSQL checks the database's CREATE privilege for that
 *   statement even with IF NOT EXISTS. A role with USAGE and CREATE on an existing schema needs nothing more.
 * - Everything (lock, lookup, migrations) runs on one connection: a pool of one cannot starve itself.
 */
export async function prepareSchema(
  dataSource: DataSource,
  schema: string,
  options: PrepareSchemaOptions = {},
): Promise<string[]> {
  assertSchemaName(schema);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  // A connection that might still hold the lock must not go back to the pool: it is closed instead.
  let reusable = true;
  try {
    await takeMigrationLock(runner, schema, options);
    try {
      if (!(await schemaExists(runner, schema)))
        await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      reusable = await runner
        .query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [MIGRATION_LOCK_CLASS, schema])
        .then(
          () => true,
          () => false,
        );
    }
  } finally {
    if (reusable) await runner.release();
    else await discard(runner);
  }
}

/** Closes the query runner's connection instead of returning it to the pool (pg-pool destroys a client released with an error). */
async function discard(runner: QueryRunner): Promise<void> {
  const pg = runner as QueryRunner & { releasePostgresConnection?: (error: Error) => Promise<void> };
  if (pg.releasePostgresConnection)
    await pg.releasePostgresConnection(new Error('migration lock not released'));
  else await runner.release();
}

async function takeMigrationLock(
  runner: QueryRunner,
  schema: string,
  options: PrepareSchemaOptions,
): Promise<void> {
  let told = false;
  for (;;) {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [
      MIGRATION_LOCK_CLASS,
      schema,
    ])) as { locked: boolean }[];
    if (locked) return;
    if (!told) options.onWait?.();
    told = true;
    await new Promise((resolve) => setTimeout(resolve, options.lockRetryMs ?? 250));
  }
}

/** Whether the schema exists; needs no privilege (pg_namespace is readable by every role). */
export async function schemaExists(
  runner: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  schema: string,
): Promise<boolean> {
  const [{ exists }] = (await runner.query(
    'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists',
    [schema],
  )) as { exists: boolean }[];
  return exists;
}
