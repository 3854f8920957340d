import { Kafka, PartitionMetadata, Partitioners } from 'kafkajs';

/** How long a topic's partition count is trusted before it is read again (kafkajs's own metadata age). */
const METADATA_MAX_AGE_MS = 5 * 60_000;

/**
 * The partition the relay's producer will choose for a key: the same partitioner (kafkajs's default, the Java
 * client's murmur2 of the key) over the topic's partitions, read with an admin client and kept for a few minutes.
 * It only sizes sends: should the count have changed since, a send may come out too large for a partition, and the
 * broker's refusal has it split (see BatchPublisher).
 */
export class PartitionLookup {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly topics = new Map<string, { partitions: PartitionMetadata[]; readAt: number }>();

  constructor(private readonly kafka: Kafka) {}

  /** Reads the partitions of the topics not known, or known for too long. */
  async load(topics: Iterable<string>, now = Date.now()): Promise<void> {
    const stale = [...new Set(topics)].filter(
      (t) => now - (this.topics.get(t)?.readAt ?? -Infinity) >= METADATA_MAX_AGE_MS,
    );
    if (stale.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: stale });
      for (const topic of found) this.topics.set(topic.name, { partitions: topic.partitions, readAt: now });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** The partition of a key; 0 for a topic not loaded, which then counts as one partition (the tightest budget). */
  partitionOf(topic: string, key: string): number {
    const partitionMetadata = this.topics.get(topic)?.partitions;
    if (!partitionMetadata?.length) return 0;
    return this.partitioner({ topic, partitionMetadata, message: { key, value: null } });
  }
}
