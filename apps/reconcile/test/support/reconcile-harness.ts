import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Clock } from '@lib/common';
import { buildEnvelope, EventDataInput, EventType, toKafkaMessage, Topic } from '@lib/contracts';
import { bootstrapService } from '@lib/platform';
import {
  dropTestScope,
  serviceTestEnv,
  testKafka,
  TopicCollector,
  uniqueName,
  JsonBody,
  requestJson,
} from '@lib/testing';
import { freePort } from '../../../../test/support/free-port';
import { ReconcileAppModule } from '../../src/app.module';
import { AuthorityListChannel } from '../../src/pull/authority-list.port';
import { loadReconcileConfig, ReconcileConfig } from '../../src/reconcile.config';
import { RECONCILE_CONSUMER_GROUP } from '../../src/reconcile.tokens';

export const API_TOKEN = 'test-api-token';

/** Reconcile in this process, on a throw-away schema and prefixed topics, with the channels and clock a test gives it. */
export class ReconcileHarness {
  readonly schema = uniqueName('reconcile_app');
  readonly prefix = `${this.schema}.`;
  readonly kafka = testKafka('reconcile-test');
  app!: INestApplication;
  dataSource!: DataSource;
  config!: ReconcileConfig;
  baseUrl!: string;
  findings!: TopicCollector;
  commands!: TopicCollector;
  private producer!: Producer;
  private admin!: Admin;

  async start(
    channels: AuthorityListChannel[] | undefined,
    clock: Clock,
    env: Record<string, string> = {},
  ): Promise<this> {
    const port = await freePort();
    this.config = loadReconcileConfig({
      ...serviceTestEnv({ schema: this.schema, prefix: this.prefix, port }),
      RECONCILE_API_TOKEN: API_TOKEN,
      RECONCILE_POLL_MS: '50',
      RECONCILE_SCHEDULER_ENABLED: 'false',
      RECONCILE_PULL_MIN_INTERVAL_MS: '0',
      RECONCILE_PULL_BACKOFF_MS: '0',
      ...env,
    });
    this.app = await bootstrapService({
      module: ReconcileAppModule.forRoot(this.config, { channels, clock }) as never,
      config: this.config,
      title: 'reconcile',
      consumerGroup: RECONCILE_CONSUMER_GROUP,
      partitionsConsumedConcurrently: 3,
    });
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.dataSource = this.app.get(DataSource);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.findings = await new TopicCollector(this.kafka, [this.topic('reconcile.findings.v1')]).start();
    this.commands = await new TopicCollector(this.kafka, [this.topic('sync.commands.v1')]).start();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    return this;
  }

  async stop(): Promise<void> {
    await this.findings?.stop();
    await this.commands?.stop();
    await this.producer?.disconnect();
    await this.app?.close();
    await dropTestScope(this.admin, this.prefix, this.schema);
    await this.admin.disconnect();
  }

  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Publishes an event as its producer would; returns its id. */
  async send<T extends EventType>(
    topic: Topic,
    type: T,
    data: EventDataInput<T>,
    id: string = randomUUID(),
  ): Promise<string> {
    const envelope = buildEnvelope(type, data, { source: 'test', occurredAt: new Date(), id });
    await this.producer.send({ topic: this.topic(topic), acks: -1, messages: [toKafkaMessage(envelope)] });
    return id;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(sql, params)) as T[];
  }

  api(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = API_TOKEN,
  ): Promise<{ status: number; body: JsonBody }> {
    return requestJson(this.baseUrl, method, path, body, token);
  }
}
