import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { buildEnvelope, EventDataInput, toKafkaMessage, TOPICS } from '@lib/contracts';
import { Invoice } from '@lib/domain';
import { dropSchema, pollUntil, testDatabaseUrl, testKafka, testKafkaBrokers, uniqueName } from '@lib/testing';
import { killHard, spawnTs } from '../../../../../test/support/child-process';
import { freePort } from '../../../../../test/support/free-port';

const MAIN = resolve(__dirname, '../../../src/main.ts');

/** Sync as a separate process (so a test can SIGKILL it), on its own schema and topic prefix. */
export class SyncProcess {
  readonly schema = uniqueName('sync_e2e');
  readonly prefix = `${this.schema}.`;
  readonly kafka = testKafka('sync-e2e');
  readonly pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  child?: ChildProcess;
  private producer?: Producer;
  private env: Record<string, string> = {};

  async start(env: Record<string, string>): Promise<void> {
    const port = await freePort();
    this.env = {
      ...env,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      DB_SCHEMA: this.schema,
      KAFKA_TOPIC_PREFIX: this.prefix,
      KAFKA_PARTITIONS: '3',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      SYNC_IDLE_POLL_MS: '50',
    };
    await this.restart();
  }

  /** Changes the environment of the next restart (keeps the schema, prefix and port). */
  setEnv(env: Record<string, string>): void {
    this.env = { ...this.env, ...env };
  }

  /** (Re)starts the process and waits until it is ready. */
  async restart(): Promise<void> {
    this.child = spawnTs(MAIN, this.env);
    const url = `http://127.0.0.1:${this.env.PORT}/readyz`;
    await pollUntil(() => fetch(url).then((r) => r.status), (s) => s === 200, { timeoutMs: 60_000, intervalMs: 250, what: 'sync ready' });
  }

  async kill(): Promise<void> {
    if (this.child) await killHard(this.child);
  }

  async send(kind: 'issued' | 'red-issued' | 'voided', invoices: Invoice[]): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    const type = kind === 'issued' ? 'invoice.issued' : kind === 'red-issued' ? 'invoice.red-issued' : 'invoice.voided';
    const messages = invoices.map((invoice) => {
      const data: EventDataInput<'invoice.issued'> = {
        invoiceKey: invoice.code ? `${invoice.code}-${invoice.number}` : invoice.number,
        invoice: { ...invoice, lines: [...invoice.lines] },
        deviceId: 'dev-1',
        branchId: 'sz',
        taxNo: invoice.sellerTaxNo,
        receivedAt: new Date().toISOString(),
      };
      return toKafkaMessage(buildEnvelope(type, data, { source: 'device-gateway', occurredAt: new Date(), id: randomUUID() }));
    });
    await this.producer.send({ topic: `${this.prefix}${TOPICS.invoiceEvents}`, acks: -1, messages });
  }

  async statusCounts(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ key: string; n: string }>(
      `SELECT target || ':' || status AS key, count(*) AS n FROM ${this.schema}.deliveries GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
  }

  async stop(): Promise<void> {
    await this.kill();
    await this.producer?.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await this.pool.end();
    await dropSchema(this.schema);
  }
}
