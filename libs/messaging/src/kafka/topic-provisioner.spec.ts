import { Admin, ITopicConfig, ITopicMetadata, KafkaJSProtocolError } from 'kafkajs';
import { ensureTopics, TOPIC_MAX_MESSAGE_BYTES } from './topic-provisioner';

/** As kafkajs builds it from the broker's error code 3 (its typings accept only the message). */
const unknownTopic = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This server does not host this topic-partition'), {
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      code: 3,
      retriable: true,
    }),
  );

/** A broker as ensureTopics sees it: what exists, what it answers for metadata, and what it was asked to create. */
class FakeAdmin {
  readonly created: ITopicConfig[] = [];
  /** Answers given before metadata tells the truth (one per call, in order). */
  readonly metadataAnswers: (Error | 'leaderless')[] = [];
  constructor(readonly existing: Set<string> = new Set()) {}

  listTopics = async () => [...this.existing];
  createTopics = async ({ topics, waitForLeaders }: { topics: ITopicConfig[]; waitForLeaders?: boolean }) => {
    expect(waitForLeaders).toBe(false);
    for (const t of topics) {
      this.created.push(t);
      this.existing.add(t.topic);
    }
    return true;
  };
  fetchTopicMetadata = async ({ topics }: { topics: string[] }) => {
    const answer = this.metadataAnswers.shift();
    if (answer instanceof Error) throw answer;
    const result: ITopicMetadata[] = topics.map((name) => ({
      name,
      partitions: [
        {
          partitionId: 0,
          partitionErrorCode: 0,
          leader: answer === 'leaderless' ? -1 : 1,
          replicas: [1],
          isr: [1],
        },
      ],
    }));
    return { topics: result };
  };
  asAdmin = () => this as unknown as Admin;
}

describe('ensureTopics', () => {
  it('creates only the missing topics, each with its DLQ and the size limit, and says which', async () => {
    const admin = new FakeAdmin(new Set(['orders']));
    const created = await ensureTopics(admin.asAdmin(), [
      { name: 'orders', partitions: 3, withDlq: true },
      { name: 'events', partitions: 2, config: { 'cleanup.policy': 'compact' } },
    ]);
    expect(created).toEqual(['orders.dlq', 'events']);
    expect(admin.created.map((t) => [t.topic, t.numPartitions])).toEqual([
      ['orders.dlq', 3],
      ['events', 2],
    ]);
    expect(admin.created[1].configEntries).toEqual([
      { name: 'max.message.bytes', value: String(TOPIC_MAX_MESSAGE_BYTES) },
      { name: 'cleanup.policy', value: 'compact' },
    ]);
  });

  it('waits through the unknown-topic answer a busy broker gives right after the creation, and through leaderless partitions', async () => {
    const admin = new FakeAdmin();
    admin.metadataAnswers.push(unknownTopic(), 'leaderless');
    const retries: string[] = [];
    await expect(
      ensureTopics(admin.asAdmin(), [{ name: 'orders', partitions: 1 }], {
        onRetry: (step, error) => retries.push(`${step}: ${(error as Error).message}`),
      }),
    ).resolves.toEqual(['orders']);
    expect(retries).toEqual([
      'leaders: This server does not host this topic-partition',
      'leaders: no leader yet for orders',
    ]);
    expect(admin.metadataAnswers).toHaveLength(0);
  });

  it('throws an error the cluster does not call transient, without retrying it', async () => {
    const admin = new FakeAdmin();
    admin.metadataAnswers.push(new Error('SASL authentication failed'));
    const onRetry = jest.fn();
    await expect(
      ensureTopics(admin.asAdmin(), [{ name: 'orders', partitions: 1 }], { onRetry }),
    ).rejects.toThrow('SASL authentication failed');
    expect(onRetry).not.toHaveBeenCalled();
  });
});
