import type { Kafka, Message, Producer } from 'kafkajs';
import { CryptoIdSource, IdSource } from '@lib/common';
import { IdRange } from './id-ranges';
import type { ParkedMark } from './outbox-parking';

export interface ProgressMarker {
  relayId: string;
  /** Rows the relay published. */
  ranges: IdRange[];
  at: string;
  /**
   * Rows it parked (and reported on a DLQ) instead, apart from `ranges` so that a relay that predates parking, reading
   * this marker, leaves them in the outbox rather than deleting rows it cannot park.
   */
  parked?: ParkedMark[];
}

/**
 * The relay's memory of what it published, kept in Kafka itself: every send is one Kafka transaction
 * together with a marker naming the outbox ids it carries. Marker present ⇔ send present, so after a
 * crash between the Kafka commit and the PostgreSQL delete, the new leader reads the last marker and
 * deletes those rows instead of publishing them a second time.
 *
 * A batch too large for one send goes out in several, all before the one PostgreSQL transaction that
 * deletes its rows commits: each send's marker therefore names every row published (or parked) so
 * far in the batch, not only its own, and the last marker alone still covers all that is in doubt.
 */
export class RelayProgressLog {
  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly relayId: string,
    /** KAFKA_TOPIC_PREFIX, prepended to the reader's consumer groups (not to the markers' key). */
    private readonly groupPrefix = '',
    /** Draws each read's probe nonce (also its reader's consumer group). */
    private readonly ids: IdSource = new CryptoIdSource(),
  ) {}

  markerMessage(ranges: IdRange[], at: Date, parked: ParkedMark[] = []): Message {
    const marker: ProgressMarker = { relayId: this.relayId, ranges, at: at.toISOString() };
    if (parked.length > 0) marker.parked = parked;
    // The progress topic has one partition; placed explicitly, so that the relay can check it was written.
    return { key: this.relayId, value: JSON.stringify(marker), partition: 0 };
  }

  /**
   * Reads the last committed marker. A probe record is committed first; everything committed
   * before it is then known to have been read once the probe is seen (a partition is totally
   * ordered, and the consumer reads committed records only).
   */
  async readLast(producer: Producer, timeoutMs = 30_000): Promise<ProgressMarker | undefined> {
    const nonce = this.ids.uuid();
    const probeKey = `${this.relayId}#probe`;
    const txn = await producer.transaction();
    try {
      await txn.send({ topic: this.topic, acks: -1, messages: [{ key: probeKey, value: nonce }] });
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }

    const groupId = `${this.groupPrefix}outbox-progress-reader.${this.relayId}.${nonce}`;
    const consumer = this.kafka.consumer({ groupId, readUncommitted: false, sessionTimeout: 10_000 });
    let last: ProgressMarker | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`progress log not read within ${timeoutMs} ms`)),
          timeoutMs,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ message }) => {
              const key = message.key?.toString();
              const value = message.value?.toString() ?? '';
              if (key === this.relayId) last = JSON.parse(value) as ProgressMarker;
              if (key === probeKey && value === nonce) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error as Error);
          });
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      const admin = this.kafka.admin();
      await admin
        .connect()
        .then(() => admin.deleteGroups([groupId]))
        .catch(() => undefined)
        .finally(() => admin.disconnect().catch(() => undefined));
    }
    return last;
  }
}
