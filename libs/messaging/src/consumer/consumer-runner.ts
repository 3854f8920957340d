import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { BackoffPolicy, backoffDelay, sleep } from '@lib/common';
import { createLogger } from '@lib/observability';
import { claimInbox } from '../inbox/inbox-store';
import { retryKafkaStartup } from '../kafka/kafka-startup';
import { publishDeadLetter } from './dead-letter-publisher';
import { classifyFailure, describeError } from './failure-classifier';
import { ConsumerMetrics } from './consumer-metrics';
import { EnvelopeLike, headersToStrings, jsonEnvelopeDecoder, MessageDecoder } from './message-decoder';

export interface IncomingMessage<E extends EnvelopeLike = EnvelopeLike> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  envelope: E;
}

/** Runs inside the transaction that also records the message in the inbox. */
export type TransactionalHandler<E extends EnvelopeLike = EnvelopeLike> = (
  message: IncomingMessage<E>,
  manager: EntityManager,
) => Promise<void>;

/**
 * E is the envelope the decoder yields and the handler receives: a runner with its own decoder (the notifier's
 * dead-letter watcher) types both ends with it instead of casting.
 */
export interface ConsumerRunnerOptions<E extends EnvelopeLike = EnvelopeLike> {
  groupId: string;
  /** Physical topic names. */
  topics: string[];
  handler: TransactionalHandler<E>;
  /** Required unless E is the plain envelope, which jsonEnvelopeDecoder reads by default. */
  decode?: MessageDecoder<E>;
  /** Attempts for a transient failure before the message goes to the DLQ. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  dlqTopicOf?: (topic: string) => string;
  fromBeginning?: boolean;
  /** Where the runner counts what it handled; its own by default. */
  metrics?: ConsumerMetrics;
}

const DEFAULT_RETRY: BackoffPolicy = { initialMs: 200, maxMs: 10_000, multiplier: 2, jitter: 0.3 };

/**
 * Consumes topics with these guarantees:
 * - an offset is resolved (and so committed) only after the handler's transaction committed;
 * - the inbox makes redeliveries no-ops;
 * - a poison message goes to `<topic>.dlq` with its error, and the partition moves on;
 * - transient failures retry with backoff, heartbeating, and give up to the DLQ after maxAttempts;
 * - an unavailable dependency is waited out without giving up (nothing could succeed meanwhile).
 */
export class ConsumerRunner<E extends EnvelopeLike = EnvelopeLike> {
  private readonly log: Logger;
  private consumer?: Consumer;
  private dlqProducer?: Producer;
  private readonly decode: MessageDecoder<E>;
  private readonly metrics: ConsumerMetrics;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: ConsumerRunnerOptions<E>,
    logger?: Logger,
  ) {
    this.log = (logger ?? createLogger('consumer')).child({ group: options.groupId });
    // Without a decoder of its own, E is the plain envelope that jsonEnvelopeDecoder yields.
    this.decode = options.decode ?? (jsonEnvelopeDecoder as MessageDecoder<E>);
    this.metrics = options.metrics ?? new ConsumerMetrics();
  }

  async start(): Promise<void> {
    this.dlqProducer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.dlqProducer.connect();
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      readUncommitted: false,
    });
    await this.consumer.connect();
    const consumer = this.consumer;
    await retryKafkaStartup(
      () => consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true }),
      (error, attempt) => this.log.warn({ err: error, attempt }, 'subscribing: the cluster is not ready yet; retrying'),
    );
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      autoCommitThreshold: 200,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.processBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer
      ?.disconnect()
      .catch((error: unknown) => this.log.warn({ err: error }, 'consumer disconnect failed'));
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.dlqProducer = undefined;
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const done = await this.processMessage(batch.topic, batch.partition, message, payload);
      if (!done) return; // stopping or rebalancing: the message will be fetched again
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** Returns true when the message is finished with (processed, duplicate or dead-lettered). */
  private async processMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    controls: Controls,
  ): Promise<boolean> {
    const headers = headersToStrings(message.headers);
    const decoded = this.decode(topic, message.value, headers);
    if (!decoded.ok) {
      await this.deadLetter(topic, partition, message, decoded.code, decoded.message, 1);
      return true;
    }
    const incoming: IncomingMessage<E> = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      headers,
      envelope: decoded.envelope,
    };
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        const fresh = await this.dataSource.transaction((manager) => this.runOnce(incoming, manager));
        this.metrics.handled(this.options.groupId, topic, fresh ? 'processed' : 'duplicate', started);
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        const { code, message: reason } = describeError(error);
        this.metrics.handled(this.options.groupId, topic, `failed_${failure}`, started);
        if (failure === 'poison' || (failure === 'transient' && attempt >= (this.options.maxAttempts ?? 5))) {
          const finalCode = failure === 'poison' ? code : 'RETRIES_EXHAUSTED';
          await this.deadLetterUntilDone(
            topic,
            partition,
            message,
            finalCode,
            `${code}: ${reason}`,
            attempt,
            controls,
          );
          return true;
        }
        this.log.warn(
          { err: error, topic, partition, offset: message.offset, attempt, failure },
          'handler failed; retrying',
        );
        if (!(await this.pause(attempt, controls))) return false;
      }
    }
  }

  private async runOnce(message: IncomingMessage<E>, manager: EntityManager): Promise<boolean> {
    const fresh = await claimInbox(manager, {
      consumerGroup: this.options.groupId,
      eventId: message.envelope.id,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    });
    if (fresh) await this.options.handler(message, manager);
    return fresh;
  }

  private async pause(attempt: number, { heartbeat, isRunning, isStale }: Controls): Promise<boolean> {
    const until = Date.now() + backoffDelay(attempt, this.options.backoff ?? DEFAULT_RETRY);
    while (Date.now() < until) {
      if (!isRunning() || isStale()) return false;
      await sleep(Math.min(1_000, until - Date.now()));
      await heartbeat().catch(() => undefined);
    }
    return isRunning() && !isStale();
  }

  private async deadLetterUntilDone(
    topic: string,
    partition: number,
    message: KafkaMessage,
    code: string,
    reason: string,
    attempts: number,
    controls: Controls,
  ): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await this.deadLetter(topic, partition, message, code, reason, attempts);
        return;
      } catch (error) {
        this.log.error(
          { err: error, topic, offset: message.offset },
          'could not publish to the DLQ; retrying',
        );
        if (!(await this.pause(tries, controls))) throw error;
      }
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    code: string,
    reason: string,
    attempts: number,
  ): Promise<void> {
    if (!this.dlqProducer) throw new Error('consumer is not started');
    const dlqTopic = (this.options.dlqTopicOf ?? ((t: string) => `${t}.dlq`))(topic);
    await publishDeadLetter(
      this.dlqProducer,
      { topic, partition, message, consumerGroup: this.options.groupId, code, reason, attempts },
      dlqTopic,
    );
    this.metrics.deadLettered(this.options.groupId, topic, code);
    this.log.error({ topic, partition, offset: message.offset, code, reason }, 'message sent to the DLQ');
  }
}

type Controls = Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>;
