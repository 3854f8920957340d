import { resolve } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL } from '@lib/common';

export const REPO_ROOT = resolve(__dirname, '../../..');

export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string, url = testDatabaseUrl()): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
