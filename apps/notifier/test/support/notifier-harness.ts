import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Clock } from '@lib/common';
import { buildEnvelope, EventDataInput, toKafkaMessage, TOPICS } from '@lib/contracts';
import { bootstrapService } from '@lib/platform';
import {
  dropSchema,
  dropTestScope,
  serviceTestEnv,
  testKafka,
  uniqueName,
  JsonBody,
  requestJson,
  scrapeMetric,
} from '@lib/testing';
import { freePort } from '../../../../test/support/free-port';
import { NotifierAppModule } from '../../src/app.module';
import { loadNotifierConfig, NotifierConfig } from '../../src/notifier.config';
import { NOTIFIER_CONSUMER_GROUP } from '../../src/notifier.tokens';
import { NotifierWorkersService } from '../../src/workers/notifier-workers.service';
import { DEV_CREDENTIALS, RunningSandbox, startSandbox } from './sandbox';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of assorted shapes, asserted by the tests
type Json = any;

export const ADMIN_TOKEN = 'notifier-test-admin-token';
export type FindingData = EventDataInput<'reconcile.finding-changed'>;

/** The notifier in this process, on a throw-away schema and prefixed topics, against the sandbox's SMTP sink and SMS gateway. */
export class NotifierHarness {
  readonly schema = uniqueName('notifier_e2e');
  readonly prefix = `${this.schema}.`;
  readonly kafka = testKafka('notifier-test');
  app!: INestApplication;
  sandbox!: RunningSandbox;
  dataSource!: DataSource;
  config!: NotifierConfig;
  baseUrl!: string;
  private producer!: Producer;
  private admin!: Admin;

  constructor(private readonly clock: Clock) {}

  async start(env: Record<string, string> = {}): Promise<this> {
    this.sandbox = await startSandbox({ seed: this.schema, logLevel: 'silent' });
    const port = await freePort();
    this.config = loadNotifierConfig({
      ...serviceTestEnv({ schema: this.schema, prefix: this.prefix, port, partitions: 2 }),
      NOTIFIER_ADMIN_TOKEN: ADMIN_TOKEN,
      NOTIFIER_CONSOLE_URL: 'https://invoice-sync.example.com',
      NOTIFIER_SMTP_HOST: this.sandbox.smtp.host,
      NOTIFIER_SMTP_PORT: String(this.sandbox.smtp.port),
      NOTIFIER_SMTP_TIMEOUT_MS: '2000',
      NOTIFIER_SMS_ENDPOINT: this.sandbox.urls.sms,
      NOTIFIER_SMS_ACCESS_KEY_ID: DEV_CREDENTIALS.sms.id,
      NOTIFIER_SMS_ACCESS_KEY_SECRET: DEV_CREDENTIALS.sms.secret,
      // The sandbox's group robots, by the name recipients give them (`finance`).
      NOTIFIER_WECOM_ENDPOINT: this.sandbox.robots.url,
      NOTIFIER_WECOM_ROBOTS: JSON.stringify({ finance: { key: DEV_CREDENTIALS.wecom.key } }),
      NOTIFIER_DINGTALK_ENDPOINT: this.sandbox.robots.url,
      NOTIFIER_DINGTALK_ROBOTS: JSON.stringify({
        finance: {
          accessToken: DEV_CREDENTIALS.dingtalk.accessToken,
          secret: DEV_CREDENTIALS.dingtalk.secret,
        },
      }),
      NOTIFIER_FEISHU_ENDPOINT: this.sandbox.robots.url,
      NOTIFIER_FEISHU_ROBOTS: JSON.stringify({
        finance: { token: DEV_CREDENTIALS.feishu.token, secret: DEV_CREDENTIALS.feishu.secret },
      }),
      NOTIFIER_IDLE_POLL_MS: '50',
      NOTIFIER_SCHEDULER_POLL_MS: '200',
      NOTIFIER_BACKOFF_INITIAL_MS: '100',
      NOTIFIER_BACKOFF_MAX_MS: '500',
      NOTIFIER_BREAKER_RETRY_MS: '200',
      NOTIFIER_BREAKER_RESET_MS: '500',
      ...env,
    });
    this.app = await bootstrapService({
      module: NotifierAppModule.forRoot(this.config, { clock: this.clock }) as never,
      config: this.config,
      title: 'notifier',
      bearerAuth: true,
      consumerGroup: NOTIFIER_CONSUMER_GROUP,
      partitionsConsumedConcurrently: 2,
    });
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.dataSource = this.app.get(DataSource);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    return this;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.app?.close();
    await this.sandbox?.close();
    if (this.admin) {
      await dropTestScope(this.admin, this.prefix, this.schema);
      await this.admin.disconnect();
    } else {
      await dropSchema(this.schema);
    }
  }

  /** Publishes a finding-changed envelope as reconcile would; returns the envelope id. */
  async publishFinding(data: FindingData, id: string = randomUUID()): Promise<string> {
    const envelope = buildEnvelope('reconcile.finding-changed', data, {
      source: 'reconcile',
      occurredAt: data.updatedAt,
      id,
    });
    await this.producer.send({
      topic: `${this.prefix}${TOPICS.reconcileFindings}`,
      acks: -1,
      messages: [toKafkaMessage(envelope)],
    });
    return id;
  }

  /** Publishes raw messages to a logical topic (any, DLQs included), in one acks=all request. */
  async publish(
    topic: string,
    messages: { key?: string | null; value: string | null; headers?: Record<string, string> }[],
  ): Promise<void> {
    await this.producer.send({ topic: `${this.prefix}${topic}`, acks: -1, messages });
  }

  /** A Prometheus counter of /metrics, summed over the series whose labels contain every given pair. */
  metric(name: string, labels: Record<string, string>): Promise<number> {
    return scrapeMetric(this.baseUrl, name, labels);
  }

  /** One scheduler pass (escalations, digests) at the current clock. */
  tick(): Promise<void> {
    return this.app.get(NotifierWorkersService).tick();
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

  /** Creates a recipient through the admin API; returns its id. */
  async addRecipient(body: Record<string, unknown>): Promise<string> {
    const created = await this.api('POST', '/v1/recipients', body);
    if (created.status !== 201) throw new Error(`recipient not created: ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  }

  async log(query: string): Promise<Json[]> {
    return (await this.api('GET', `/v1/notifications?${query}`)).body.items;
  }

  mail(to: string) {
    return this.sandbox.control.mail({ to });
  }

  sms(phoneNumber: string) {
    return this.sandbox.control.sms({ phoneNumber });
  }
}

let findingSeq = 0;

/** A finding-changed payload: opened now (by the given clock), on an invoice, with overrides. */
export function finding(clock: Clock, overrides: Partial<FindingData> = {}): FindingData {
  findingSeq += 1;
  const at = clock.now().toISOString();
  return {
    findingId: `F-${Date.now().toString(36)}-${findingSeq}`,
    type: 'MISSING_IN_AUTHORITY',
    state: 'open',
    previousState: null,
    severity: 'warning',
    taxNo: TAX_NO,
    branchId: 'sz',
    period: '2026-02',
    invoice: { type: 'E_VAT_GENERAL', code: '044031900111', number: String(10_000_000 + findingSeq) },
    deviceId: null,
    explanation: '该发票已于3天前上传，但税局系统中仍查不到；已自动补传。',
    evidence: {},
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export const TAX_NO = '91440300MA5F8Q2K7X';

/** A recipient body for the admin API: responsible for one branch of TAX_NO at one level. */
export function person(name: string, branchId: string, level: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    email: `${name}@example.com`,
    language: 'zh-CN',
    scopes: [{ taxNo: TAX_NO, branchId, level }],
    ...extra,
  };
}
