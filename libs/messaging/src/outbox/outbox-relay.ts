import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, QueryRunner } from 'typeorm';
import { backoffDelay, sleep } from '@lib/common';
import { createLogger } from '@lib/observability';
import { fromRanges, IdRange, toRanges } from './id-ranges';
import { outboxMetrics } from './outbox-metrics';
import { RelayProgressLog } from './relay-progress-log';

export interface OutboxRelayOptions {
  /** Unique per outbox table (one per service schema); names the leadership lock and the Kafka transactional id. */
  relayId: string;
  /**
   * KAFKA_TOPIC_PREFIX: prepended to the Kafka names derived from the relay id (the transactional id and the progress
   * reader's consumer groups), so that environments sharing a cluster with the same schema names do not fence each
   * other. Not to the leadership lock (one database) nor the progress markers' key (in the prefixed progress topic).
   * Empty (the default): the names are those of earlier versions.
   */
  kafkaPrefix?: string;
  /** Compacted single-partition topic holding the relay's progress markers. */
  progressTopic: string;
  batchSize?: number;
  /** Pause between polls when the outbox is empty. */
  idleDelayMs?: number;
  /** Pause before trying again to become the leader. */
  standbyDelayMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  event_id: string;
  event_type: string;
  headers: Record<string, string>;
  payload: string;
  created_at: Date;
}

/** The Kafka transactional id of a relay: `[KAFKA_TOPIC_PREFIX]outbox-relay.<service>.<DB_SCHEMA>`. */
export function outboxTransactionalId(options: Pick<OutboxRelayOptions, 'relayId' | 'kafkaPrefix'>): string {
  return `${options.kafkaPrefix ?? ''}outbox-relay.${options.relayId}`;
}

/** Advisory lock namespace for relay leadership (one leader per outbox). */
const LEADER_LOCK_CLASS = 7_300_002;

/**
 * Publishes outbox rows to Kafka, exactly once, in id order (hence in commit order per key).
 *
 * - One leader per outbox, elected with a session advisory lock; standbys wait.
 * - Each batch goes out in one Kafka transaction together with a progress marker, then the rows are
 *   deleted. A crash between the two is repaired from the marker (see RelayProgressLog), and a
 *   zombie leader is fenced by the transactional id.
 * - Rows are selected with FOR UPDATE SKIP LOCKED and deleted, never tracked by a high-water mark,
 *   so a gap in the id sequence (a rolled-back insert) loses nothing.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly progress: RelayProgressLog;
  private readonly batchSize: number;
  private producer?: Producer;
  private leaderRunner?: QueryRunner;
  private inDoubt?: string[];
  private abort = new AbortController();
  private loop?: Promise<void>;
  private published = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly options: OutboxRelayOptions,
    logger?: Logger,
  ) {
    this.log = (logger ?? createLogger('outbox-relay')).child({ relay: options.relayId });
    this.progress = new RelayProgressLog(kafka, options.progressTopic, options.relayId, options.kafkaPrefix);
    this.batchSize = options.batchSize ?? 500;
    outboxMetrics.register(dataSource, options.relayId);
  }

  get isLeader(): boolean {
    return this.producer !== undefined;
  }

  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
    await this.stepDown();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.isLeader && !(await this.becomeLeader())) {
          await sleep(this.options.standbyDelayMs ?? 2_000, signal);
          continue;
        }
        const count = await this.publishBatch();
        failures = 0;
        if (count < this.batchSize) await sleep(this.options.idleDelayMs ?? 50, signal);
      } catch (error) {
        failures++;
        this.log.warn({ err: error, failures }, 'outbox relay iteration failed; will retry');
        await this.stepDown();
        await sleep(
          backoffDelay(failures, { initialMs: 250, maxMs: 10_000, multiplier: 2, jitter: 0.3 }),
          signal,
        );
      }
    }
  }

  private async becomeLeader(): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [
      LEADER_LOCK_CLASS,
      this.options.relayId,
    ])) as { locked: boolean }[];
    if (!locked) {
      await runner.release();
      return false;
    }
    this.leaderRunner = runner;
    const producer = this.kafka.producer({
      transactionalId: outboxTransactionalId(this.options),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
    });
    await producer.connect();
    this.producer = producer;
    const last = await this.progress.readLast(producer);
    if (last) this.inDoubt = fromRanges(last.ranges);
    await this.settleInDoubt();
    this.log.info('outbox relay is the leader');
    return true;
  }

  private async stepDown(): Promise<void> {
    const producer = this.producer;
    const runner = this.leaderRunner;
    this.producer = undefined;
    this.leaderRunner = undefined;
    await producer?.disconnect().catch(() => undefined);
    if (runner && !runner.isReleased) {
      await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await runner.release().catch(() => undefined);
    }
  }

  /** Deletes rows that a committed Kafka transaction already carried. */
  private async settleInDoubt(): Promise<void> {
    if (!this.inDoubt || this.inDoubt.length === 0) return;
    await this.dataSource.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [this.inDoubt]);
    this.inDoubt = undefined;
  }

  /**
   * The batch runs on the leader's own connection: its row locks and the leadership lock live and
   * die together. (On separate connections, a killed leader's row locks could outlive its
   * leadership by a moment, and the next leader would skip those rows and publish later rows of
   * the same key first.) SKIP LOCKED then never skips anything a relay holds; it only keeps the
   * relay from queueing behind someone else's lock.
   */
  private async publishBatch(): Promise<number> {
    await this.settleInDoubt();
    const producer = this.producer;
    const runner = this.leaderRunner;
    if (!producer || !runner) return 0;
    try {
      await runner.startTransaction();
      // ORDER BY the column, not the text alias of the same name (which would sort "1010" before "175").
      const rows = (await runner.query(
        `SELECT id::text AS id, topic, message_key, event_id::text AS event_id, event_type, headers, payload, created_at
           FROM outbox ORDER BY outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const ranges = toRanges(rows.map((r) => r.id));
      await this.sendInTransaction(producer, rows, ranges);
      this.inDoubt = rows.map((r) => r.id);
      await runner.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [this.inDoubt]);
      await runner.commitTransaction();
      this.inDoubt = undefined;
      this.published += rows.length;
      outboxMetrics.observePublished(this.options.relayId, rows);
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async sendInTransaction(producer: Producer, rows: OutboxRow[], ranges: IdRange[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({
        key: row.message_key,
        value: row.payload,
        headers: {
          ...row.headers,
          'event-id': row.event_id,
          'event-type': row.event_type,
          'outbox-id': row.id,
        },
      });
      byTopic.set(row.topic, messages);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    topicMessages.push({
      topic: this.options.progressTopic,
      messages: [this.progress.markerMessage(ranges, new Date())],
    });
    const txn = await producer.transaction();
    try {
      await txn.sendBatch({ topicMessages, acks: -1 });
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
  }
}
