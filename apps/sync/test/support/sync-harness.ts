import { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Clock } from '@lib/common';
import { buildEnvelope, EventDataInput, toKafkaMessage, TOPICS } from '@lib/contracts';
import { Invoice } from '@lib/domain';
import { bootstrapService } from '@lib/platform';
import { InvoiceTargetAdapter, TokenStore } from '@lib/providers';
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
import { SyncAppModule } from '../../src/app.module';
import { loadSyncConfig, SyncConfig } from '../../src/sync.config';
import { SYNC_CONSUMER_GROUP } from '../../src/sync.tokens';

export const ADMIN_TOKEN = 'test-admin-token';

/** Sync in this process, on a throw-away schema and prefixed topics, with the adapters a test gives it. */
export class SyncHarness {
  readonly schema = uniqueName('sync_it');
  readonly prefix = `${this.schema}.`;
  readonly kafka = testKafka('sync-test');
  app!: INestApplication;
  dataSource!: DataSource;
  config!: SyncConfig;
  baseUrl!: string;
  results!: TopicCollector;
  dlq!: TopicCollector;
  /** device.events.v1: what the gateway (the test) sends and what sync's remote operations publish. */
  deviceEvents!: TopicCollector;
  private producer!: Producer;
  private admin!: Admin;

  async start(
    adapters: (tokens: TokenStore) => InvoiceTargetAdapter[],
    env: Record<string, string> = {},
    options: { clock?: Clock } = {},
  ): Promise<this> {
    const port = await freePort();
    this.config = loadSyncConfig({
      ...serviceTestEnv({ schema: this.schema, prefix: this.prefix, port }),
      SYNC_ADMIN_TOKEN: ADMIN_TOKEN,
      SYNC_IDLE_POLL_MS: '50',
      SYNC_BACKOFF_INITIAL_MS: '50',
      SYNC_BACKOFF_MAX_MS: '300',
      SYNC_BREAKER_RETRY_MS: '100',
      SYNC_POLL_FIRST_MS: '100',
      SYNC_POLL_MAX_MS: '500',
      SHUTDOWN_TIMEOUT_MS: '10000',
      // platform tokens are sealed at rest (docs/sync.md, "Platform tokens")
      SYNC_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      ...env,
    });
    this.app = await bootstrapService({
      module: SyncAppModule.forRoot(this.config, { adapters, clock: options.clock }) as never,
      config: this.config,
      title: 'sync',
      consumerGroup: SYNC_CONSUMER_GROUP,
      partitionsConsumedConcurrently: 3,
    });
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.dataSource = this.app.get(DataSource);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.results = await new TopicCollector(this.kafka, [this.topic(TOPICS.syncResults)]).start();
    this.dlq = await new TopicCollector(this.kafka, [
      this.topic(`${TOPICS.invoiceEvents}.dlq`),
      this.topic(`${TOPICS.syncCommands}.dlq`),
      this.topic(`${TOPICS.deviceEvents}.dlq`),
    ]).start();
    this.deviceEvents = await new TopicCollector(this.kafka, [this.topic(TOPICS.deviceEvents)]).start();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    return this;
  }

  async stop(): Promise<void> {
    await this.results?.stop();
    await this.dlq?.stop();
    await this.deviceEvents?.stop();
    await this.producer?.disconnect();
    await this.app?.close();
    await dropTestScope(this.admin, this.prefix, this.schema);
    await this.admin.disconnect();
  }

  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Publishes an invoice event as the gateway would; returns its event id. */
  async sendInvoiceEvent(
    kind: 'issued' | 'red-issued' | 'voided',
    invoice: Invoice,
    id: string = randomUUID(),
    branchId = 'sz',
  ): Promise<string> {
    const data: EventDataInput<'invoice.issued'> = {
      invoiceKey: invoice.code ? `${invoice.code}-${invoice.number}` : invoice.number,
      invoice: { ...invoice, lines: [...invoice.lines] },
      deviceId: 'dev-1',
      branchId,
      taxNo: invoice.sellerTaxNo,
      receivedAt: new Date().toISOString(),
    };
    const type =
      kind === 'issued' ? 'invoice.issued' : kind === 'red-issued' ? 'invoice.red-issued' : 'invoice.voided';
    const envelope = buildEnvelope(type, data, { source: 'device-gateway', occurredAt: new Date(), id });
    await this.producer.send({
      topic: this.topic(TOPICS.invoiceEvents),
      acks: -1,
      messages: [toKafkaMessage(envelope)],
    });
    return id;
  }

  async sendReupload(
    invoiceKey: string,
    target: 'authority' | 'baiwang' | 'nuonuo',
    attempt: number,
  ): Promise<void> {
    const envelope = buildEnvelope(
      'sync.reupload',
      { invoiceKey, target, reason: 'MISSING_IN_AUTHORITY', requestedBy: 'reconcile', attempt },
      { source: 'reconcile', occurredAt: new Date() },
    );
    await this.producer.send({
      topic: this.topic(TOPICS.syncCommands),
      acks: -1,
      messages: [toKafkaMessage(envelope)],
    });
  }

  /** Publishes a device.changed as the gateway would (the registry's whole view of the device); returns its id. */
  async sendDeviceChanged(
    data: EventDataInput<'device.changed'>,
    id: string = randomUUID(),
    producedAt: Date = new Date(),
  ): Promise<string> {
    const envelope = buildEnvelope('device.changed', data, {
      source: 'device-gateway',
      occurredAt: new Date(data.changedAt),
      producedAt,
      id,
    });
    await this.producer.send({
      topic: this.topic(TOPICS.deviceEvents),
      acks: -1,
      messages: [toKafkaMessage(envelope)],
    });
    return id;
  }

  /** Publishes any device event envelope already built (a device's own report, for instance). */
  async sendDeviceEvent(envelope: Parameters<typeof toKafkaMessage>[0]): Promise<void> {
    await this.producer.send({
      topic: this.topic(TOPICS.deviceEvents),
      acks: -1,
      messages: [toKafkaMessage(envelope)],
    });
  }

  async sendRaw(topic: string, key: string, value: string): Promise<void> {
    await this.producer.send({ topic: this.topic(topic), acks: -1, messages: [{ key, value }] });
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(sql, params)) as T[];
  }

  api(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = ADMIN_TOKEN,
  ): Promise<{ status: number; body: JsonBody }> {
    return requestJson(this.baseUrl, method, path, body, token);
  }

  /** The sync.result messages seen so far for one invoice. */
  resultsFor(invoiceKey: string): {
    target: string;
    outcome: string;
    requestId: string;
    attempts: number;
    relayedVia: string | null;
    errorCode: string | null;
  }[] {
    return this.results.messages
      .filter((m) => m.key === invoiceKey)
      .map((m) => (JSON.parse(m.value ?? '{}') as { data: never }).data);
  }
}
