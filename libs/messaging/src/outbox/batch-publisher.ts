import type { Message, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { tooLargeErrorType, TooLargeErrorType } from '../kafka/message-too-large';
import { toRanges } from './id-ranges';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxParking, ParkedMark } from './outbox-parking';
import { OutboxRow, toKafkaMessage } from './outbox-row';
import { parkedNotice } from './parked-notice';
import { PartitionLookup } from './partition-lookup';
import { RelayProgressLog } from './relay-progress-log';
import { messageBytes, splitBySize } from './send-sizer';

/** What the relay's leader gives the batch publisher: its Kafka transactions. */
export interface TransactionalSender {
  /**
   * Sends the messages and a progress marker in one Kafka transaction (committed, or aborted and thrown). Every
   * message carries its partition, and the transaction commits only if each of them was written.
   */
  send(topicMessages: TopicMessages[], marker: Message): Promise<void>;
  /** Replaces the producer by a new one with the same transactional id (a new epoch, sequences from zero). */
  renew(): Promise<void>;
}

export interface BatchOutcome {
  published: OutboxRow[];
  parked: ParkedMark[];
}

export interface BatchPublisherOptions {
  relayId: string;
  /** Most bytes of one partition's messages in one send, before compression (see splitBySize). */
  sendBytes: number;
}

/**
 * Publishes one batch of outbox rows, in id order, inside the relay's database transaction (which then deletes what
 * was published or parked, and commits).
 *
 * The batch goes out in sends sized by bytes, each its own Kafka transaction with a marker naming every row of the
 * batch published or parked so far (see RelayProgressLog). A send the broker refuses as too large is halved until
 * the refused part is one row; that row, which cannot fit even alone and compressed, is parked: copied to
 * outbox_parked and reported on its topic's `.dlq`, and the rows behind it carry on.
 */
export class BatchPublisher {
  constructor(
    private readonly sender: TransactionalSender,
    private readonly progress: RelayProgressLog,
    private readonly parking: OutboxParking,
    private readonly partitions: PartitionLookup,
    private readonly options: BatchPublisherOptions,
    private readonly log: Logger,
    private readonly metrics: OutboxMetrics,
  ) {}

  async publish(manager: EntityManager, rows: OutboxRow[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { published: [], parked: [] };
    await this.partitions.load(rows.map((r) => r.topic));
    for (const send of splitBySize(rows, this.options.sendBytes, this.partitionOf)) {
      await this.publishSend(manager, send, outcome);
    }
    return outcome;
  }

  private async publishSend(manager: EntityManager, rows: OutboxRow[], outcome: BatchOutcome): Promise<void> {
    try {
      await this.sender.send(
        byTopic(rows, this.partitionOf),
        this.marker([...outcome.published, ...rows], outcome.parked),
      );
      outcome.published.push(...rows);
      return;
    } catch (error) {
      const errorType = tooLargeErrorType(error);
      if (!errorType) throw error;
      // The broker appends each partition of a produce request on its own: part of the refused request may have been
      // written (then aborted with the transaction), while kafkajs takes back the sequence numbers of all of it. The
      // next send would reuse numbers the broker has seen. A new producer epoch starts every sequence afresh.
      await this.sender.renew();
      if (rows.length === 1) return this.park(manager, rows[0], errorType, error, outcome);
      this.log.warn(
        { rows: rows.length, firstId: rows[0].id, lastId: rows[rows.length - 1].id, errorType },
        'Kafka refused an outbox send as too large; splitting it',
      );
    }
    const half = Math.ceil(rows.length / 2);
    await this.publishSend(manager, rows.slice(0, half), outcome);
    await this.publishSend(manager, rows.slice(half), outcome);
  }

  /** Parks the row in the open database transaction, then reports it on the DLQ in a Kafka transaction of its own. */
  private async park(
    manager: EntityManager,
    row: OutboxRow,
    errorType: TooLargeErrorType,
    error: unknown,
    outcome: BatchOutcome,
  ): Promise<void> {
    const bytes = messageBytes(row);
    const parkedIn = await this.parking.where(manager);
    const reason =
      `outbox row ${row.id} (${bytes} bytes before compression) was refused by Kafka even alone and gzip-compressed ` +
      `(${errorType}: ${String((error as Error).message ?? error)}); parked in ${parkedIn}`;
    const mark: ParkedMark = { id: row.id, reason };
    await this.parking.park(manager, [mark]);
    const parked = [...outcome.parked, mark];
    const notice = parkedNotice({ row, bytes, errorType, reason, parkedIn, at: new Date() });
    await this.partitions.load([notice.topic]);
    for (const m of notice.messages) m.partition = this.partitions.partitionOf(notice.topic, row.message_key);
    await this.sender.send([notice], this.marker(outcome.published, parked));
    outcome.parked.push(mark);
    this.metrics.observeParked(this.options.relayId, row.topic);
    this.log.error(
      {
        outboxId: row.id,
        eventId: row.event_id,
        eventType: row.event_type,
        key: row.message_key,
        topic: row.topic,
        bytes,
        errorType,
        parkedIn,
      },
      'outbox message too large for Kafka even alone and compressed: parked and reported on the DLQ',
    );
  }

  /**
   * The partition of a row's message, placed explicitly: the send is sized by it (splitBySize) and checked against
   * the producer's answer by it (see TransactionalSender), so both must be the one the message goes to.
   */
  private readonly partitionOf = (row: OutboxRow): number =>
    this.partitions.partitionOf(row.topic, row.message_key);

  private marker(published: OutboxRow[], parked: ParkedMark[]): Message {
    return this.progress.markerMessage(toRanges(published.map((r) => r.id)), new Date(), parked);
  }
}

function byTopic(rows: OutboxRow[], partitionOf: (row: OutboxRow) => number): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = topics.get(row.topic) ?? [];
    messages.push({ ...toKafkaMessage(row), partition: partitionOf(row) });
    topics.set(row.topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
