import { DataSource, MigrationInterface, MixedList, EntitySchema } from 'typeorm';

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

/** Creates the schema (idempotent), then runs pending migrations. */
export async function prepareSchema(dataSource: DataSource, schema: string): Promise<string[]> {
  assertSchemaName(schema);
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
