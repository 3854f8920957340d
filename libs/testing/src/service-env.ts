import type { Admin } from 'kafkajs';
import { dropSchema, testDatabaseUrl, testKafkaBrokers } from './infra';

/** The variables every service needs in a test: its own schema and topic prefix on the local infrastructure. */
export function serviceTestEnv(options: {
  schema: string;
  prefix: string;
  port?: number;
  partitions?: number;
}): Record<string, string> {
  return {
    ...(options.port === undefined ? {} : { PORT: String(options.port), HTTP_HOST: '127.0.0.1' }),
    DATABASE_URL: testDatabaseUrl(),
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    DB_SCHEMA: options.schema,
    KAFKA_TOPIC_PREFIX: options.prefix,
    KAFKA_PARTITIONS: String(options.partitions ?? 3),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
}

/** Deletes a test run's topics (by prefix) and its schema. */
export async function dropTestScope(admin: Admin, prefix: string, schema: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await dropSchema(schema);
}
