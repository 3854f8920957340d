import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { dropSchema, testDatabaseUrl, testKafka, uniqueName } from '@lib/testing';
import { ensureTopics } from '../src/kafka/topic-provisioner';
import { CreateInbox1763800000001 } from '../src/inbox/inbox.migration';
import { CreateOutbox1763800000000 } from '../src/outbox/outbox.migration';
import { CreateOutboxParked1763800000002 } from '../src/outbox/outbox-parked.migration';

class CreateTestTables1763800000099 implements MigrationInterface {
  name = 'CreateTestTables1763800000099';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE key_seq (message_key text PRIMARY KEY, seq int NOT NULL)');
    await q.query('CREATE TABLE handled (event_id uuid PRIMARY KEY, body text NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE handled');
    await q.query('DROP TABLE key_seq');
  }
}

/** A throw-away schema with the outbox, inbox and test tables, plus uniquely prefixed topics. */
export class MessagingHarness {
  readonly schema = uniqueName('msg');
  readonly prefix = `${uniqueName('t')}.`;
  readonly admin: Admin;
  dataSource!: DataSource;

  /** `kafka`: the test broker by default; the cluster suite passes its own three-node cluster. */
  constructor(readonly kafka: Kafka = testKafka('messaging-test')) {
    this.admin = kafka.admin();
  }

  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  async start(
    topics: { name: string; partitions: number; dlq?: boolean; compact?: boolean }[],
  ): Promise<this> {
    this.dataSource = createServiceDataSource({
      url: testDatabaseUrl(),
      schema: this.schema,
      poolSize: 30,
      migrations: [
        CreateOutbox1763800000000,
        CreateInbox1763800000001,
        CreateOutboxParked1763800000002,
        CreateTestTables1763800000099,
      ],
    });
    await this.dataSource.initialize();
    await prepareSchema(this.dataSource, this.schema);
    await this.admin.connect();
    await ensureTopics(
      this.admin,
      topics.map((t) => ({
        name: this.topic(t.name),
        partitions: t.partitions,
        withDlq: t.dlq,
        config: t.compact ? { 'cleanup.policy': 'compact' } : undefined,
      })),
    );
    return this;
  }

  async stop(): Promise<void> {
    const topics = (await this.admin.listTopics()).filter((t) => t.startsWith(this.prefix));
    if (topics.length) await this.admin.deleteTopics({ topics }).catch(() => undefined);
    await this.admin.disconnect();
    await this.dataSource?.destroy();
    await dropSchema(this.schema);
  }

  envelope(type: string, data: unknown, id = randomUUID()): string {
    const now = new Date().toISOString();
    return JSON.stringify({ id, type, version: 1, occurredAt: now, producedAt: now, source: 'test', data });
  }
}
