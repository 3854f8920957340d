import type { Admin, ITopicConfig } from 'kafkajs';
import { retryKafkaStartup, waitForTopicLeaders } from './kafka-startup';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  config?: Record<string, string>;
  /** Also create `<name>.dlq` (same partitions, longer retention). */
  withDlq?: boolean;
}

/**
 * `max.message.bytes` of every topic we create (its DLQ companion included), unless the spec says otherwise: the
 * largest record batch, after compression, that the topic accepts in one partition of one produce request.
 *
 * Set on purpose rather than inherited, so that a broker-wide change cannot silently move it. 1 MiB is just under the
 * broker's default `message.max.bytes` (1,048,588), so the broker needs no change (and topics created before this
 * constant, which inherit that default, behave the same); and it is the per-partition fetch size of kafkajs consumers
 * (`maxBytesPerPartition`) and of the broker's replica fetcher (`replica.fetch.max.bytes`), so a record batch fits in
 * what they fetch at once. The outbox relay sizes its sends below it (OutboxRelay `sendBytes`, three quarters of this,
 * counted before gzip) and parks the rare message that does not fit even alone and compressed.
 */
export const TOPIC_MAX_MESSAGE_BYTES = 1_048_576;

const DLQ_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface EnsureTopicsOptions {
  /** Told of each transient answer the cluster gave before the topics were usable (a service logs it). */
  onRetry?: (step: 'create' | 'leaders', error: unknown, attempt: number) => void;
}

/**
 * Creates missing topics, then resolves once every wanted topic (created here, by another client, or long ago) has a
 * leader for each partition. Existing topics are left as they are (a partition count is never lowered, and raising it
 * would move keys between partitions: that is an operator's decision).
 *
 * kafkajs's own wait for leaders (`waitForLeaders`) gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a busy
 * KRaft broker answers for a moment after it has acknowledged the creation (seen in CI); so the wait is ours, and it
 * retries what the cluster says is transient.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const wanted = wantedTopics(specs);
  const onRetry = options.onRetry ?? (() => undefined);
  const created = await retryKafkaStartup(
    () => createMissing(admin, wanted),
    (error, attempt) => onRetry('create', error, attempt),
  );
  await retryKafkaStartup(
    () => waitForTopicLeaders(admin, [...wanted.keys()]),
    (error, attempt) => onRetry('leaders', error, attempt),
    40,
  );
  return created;
}

function wantedTopics(specs: TopicSpec[]): Map<string, ITopicConfig> {
  const wanted = new Map<string, ITopicConfig>();
  for (const spec of specs) {
    const base = {
      numPartitions: spec.partitions,
      replicationFactor: spec.replicationFactor ?? 1,
    };
    const maxMessageBytes = { 'max.message.bytes': String(TOPIC_MAX_MESSAGE_BYTES) };
    wanted.set(spec.name, {
      topic: spec.name,
      ...base,
      configEntries: entries({ ...maxMessageBytes, ...spec.config }),
    });
    if (spec.withDlq) {
      wanted.set(`${spec.name}.dlq`, {
        topic: `${spec.name}.dlq`,
        ...base,
        configEntries: entries({ ...maxMessageBytes, 'retention.ms': String(DLQ_RETENTION_MS) }),
      });
    }
  }
  return wanted;
}

async function createMissing(admin: Admin, wanted: Map<string, ITopicConfig>): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted.values()].filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: false });
  } catch (error) {
    // Another replica may have created them at the same moment.
    if (!/TOPIC_ALREADY_EXISTS|already exists/i.test(String((error as Error).message ?? error))) throw error;
  }
  return missing.map((t) => t.topic);
}

function entries(config?: Record<string, string>) {
  return Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
}
