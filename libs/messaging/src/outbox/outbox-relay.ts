import { CompressionTypes, Kafka, Message, Partitioners, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, QueryRunner } from 'typeorm';
import { backoffDelay, IdSource, sleep } from '@lib/common';
import { createLogger } from '@lib/observability';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';
import { TOPIC_MAX_MESSAGE_BYTES } from '../kafka/topic-provisioner';
import { BatchPublisher } from './batch-publisher';
import { fromRanges } from './id-ranges';
import { readOutboxBatch } from './outbox-batch-reader';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxParking, ParkedMark } from './outbox-parking';
import { PartitionLookup } from './partition-lookup';
import { RelayProgressLog } from './relay-progress-log';
import { unwrittenPartitions } from './send-coverage';

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
  /** Most rows per batch (one database transaction). */
  batchSize?: number;
  /**
   * Most payload bytes per batch: rows are read until they reach it (always at least one; see readOutboxBatch).
   * Default 8 MiB.
   */
  batchBytes?: number;
  /**
   * Most bytes of one partition's messages in one Kafka send (one transaction), counted before compression: a batch
   * over it goes out in several sends. Default three quarters of TOPIC_MAX_MESSAGE_BYTES, the topics' max.message.bytes,
   * which leaves room for the record framing this count estimates. Keep it below the topics' limit: a send over the
   * limit is refused and split again, which costs a new producer each time.
   */
  sendBytes?: number;
  /** Pause between polls when the outbox is empty. */
  idleDelayMs?: number;
  /** Pause before trying again to become the leader. */
  standbyDelayMs?: number;
  /** Where the relay counts what it published and parked; its own by default. */
  metrics?: OutboxMetrics;
  /** Draws the progress reader's nonces; the operating system's CSPRNG by default. */
  ids?: IdSource;
}

/** Rows published or parked by a committed Kafka transaction, not yet deleted from the outbox. */
interface InDoubt {
  ids: string[];
  parked: ParkedMark[];
}

/** The Kafka transactional id of a relay: `[KAFKA_TOPIC_PREFIX]outbox-relay.<service>.<DB_SCHEMA>`. */
export function outboxTransactionalId(options: Pick<OutboxRelayOptions, 'relayId' | 'kafkaPrefix'>): string {
  return `${options.kafkaPrefix ?? ''}outbox-relay.${options.relayId}`;
}

/** Advisory lock namespace for relay leadership (one leader per outbox). */
const LEADER_LOCK_CLASS = ADVISORY_LOCK_CLASSES.outboxRelayLeader;

/**
 * Publishes outbox rows to Kafka, exactly once, in id order (hence in commit order per key).
 *
 * - One leader per outbox, elected with a session advisory lock; standbys wait.
 * - Each batch goes out in Kafka transactions sized by bytes and gzip-compressed, each with a
 *   progress marker, then the rows are deleted. A crash between the two is repaired from the marker
 *   (see RelayProgressLog), and a zombie leader is fenced by the transactional id.
 * - A row Kafka refuses even alone and compressed is parked in outbox_parked and reported on its
 *   topic's `.dlq` (see BatchPublisher): it never holds up the rows behind it.
 * - Rows are selected with FOR UPDATE SKIP LOCKED and deleted, never tracked by a high-water mark,
 *   so a gap in the id sequence (a rolled-back insert) loses nothing.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly progress: RelayProgressLog;
  private readonly parking = new OutboxParking();
  private readonly publisher: BatchPublisher;
  private readonly metrics: OutboxMetrics;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private producer?: Producer;
  private leaderRunner?: QueryRunner;
  private inDoubt?: InDoubt;
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
    this.metrics = options.metrics ?? new OutboxMetrics();
    this.progress = new RelayProgressLog(
      kafka,
      options.progressTopic,
      options.relayId,
      options.kafkaPrefix,
      options.ids,
    );
    this.batchSize = options.batchSize ?? 500;
    this.batchBytes = options.batchBytes ?? 8 * 1024 * 1024;
    this.publisher = new BatchPublisher(
      {
        send: (topicMessages, marker) => this.sendInTransaction(topicMessages, marker),
        renew: () => this.renewProducer(),
      },
      this.progress,
      this.parking,
      new PartitionLookup(kafka),
      {
        relayId: options.relayId,
        sendBytes: options.sendBytes ?? Math.floor((TOPIC_MAX_MESSAGE_BYTES * 3) / 4),
      },
      this.log,
      this.metrics,
    );
    this.metrics.register(dataSource, options.relayId);
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
        const more = await this.publishBatch();
        failures = 0;
        if (!more) await sleep(this.options.idleDelayMs ?? 50, signal);
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
    const producer = await this.connectProducer();
    this.producer = producer;
    const last = await this.progress.readLast(producer);
    if (last) this.inDoubt = { ids: fromRanges(last.ranges), parked: last.parked ?? [] };
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

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      transactionalId: outboxTransactionalId(this.options),
      // The partitioner PartitionLookup reproduces to size sends (kafkajs's default, named so that they stay one).
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
    });
    await producer.connect();
    return producer;
  }

  /** The leader keeps its leadership (and its open batch) and gets a producer with a new epoch. */
  private async renewProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    await old?.disconnect().catch(() => undefined);
    this.producer = await this.connectProducer();
  }

  /**
   * Deletes rows that a committed Kafka transaction already carried, and parks again (idempotently) those it reported
   * parked, in case the database transaction that parked them did not commit.
   */
  private async settleInDoubt(): Promise<void> {
    const doubt = this.inDoubt;
    if (!doubt || doubt.ids.length + doubt.parked.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await this.parking.park(manager, doubt.parked);
      await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [
        [...doubt.ids, ...doubt.parked.map((p) => p.id)],
      ]);
    });
    this.inDoubt = undefined;
  }

  /**
   * The batch runs on the leader's own connection: its row locks and the leadership lock live and
   * die together. (On separate connections, a killed leader's row locks could outlive its
   * leadership by a moment, and the next leader would skip those rows and publish later rows of
   * the same key first.) SKIP LOCKED then never skips anything a relay holds; it only keeps the
   * relay from queueing behind someone else's lock.
   *
   * Returns whether more rows may be waiting (the batch was cut by its row count or its bytes).
   */
  private async publishBatch(): Promise<boolean> {
    await this.settleInDoubt();
    const runner = this.leaderRunner;
    if (!this.producer || !runner) return false;
    try {
      await runner.startTransaction();
      const { rows, more } = await readOutboxBatch(runner, this.batchSize, this.batchBytes);
      if (rows.length === 0) {
        await runner.commitTransaction();
        return false;
      }
      const { published, parked } = await this.publisher.publish(runner.manager, rows);
      this.inDoubt = { ids: published.map((r) => r.id), parked };
      await runner.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [
        [...this.inDoubt.ids, ...parked.map((p) => p.id)],
      ]);
      await runner.commitTransaction();
      this.inDoubt = undefined;
      this.published += published.length;
      this.metrics.observePublished(this.options.relayId, published);
      return more;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  /**
   * One Kafka transaction: the messages and the progress marker, gzip-compressed, all or nothing. Every message is
   * placed on its partition by the caller, and the transaction commits only if the producer's answer names each of
   * those partitions: kafkajs can resolve a send that left out a partition whose leader died mid-request (see
   * unwrittenPartitions), and committing it would delete rows whose messages were never written.
   */
  private async sendInTransaction(topicMessages: TopicMessages[], marker: Message): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error('outbox relay lost its producer');
    const sent = [...topicMessages, { topic: this.options.progressTopic, messages: [marker] }];
    const txn = await producer.transaction();
    try {
      const answers = await txn.sendBatch({
        topicMessages: sent,
        acks: -1,
        compression: CompressionTypes.GZIP,
      });
      const missing = unwrittenPartitions(sent, answers);
      if (missing.length > 0) {
        this.metrics.observeIncompleteSend(this.options.relayId);
        throw new Error(
          `Kafka's answer to an outbox send names no write to ${missing.join(', ')}: the transaction is aborted ` +
            'and the rows stay in the outbox',
        );
      }
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
  }
}
