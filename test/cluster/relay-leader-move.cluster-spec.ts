// The outbox relay while the leader of one of a send's partitions dies and the partition moves to a node that has
// already answered for the other part of the same send. kafkajs (2.2.4) keeps the answers of the nodes that accepted
// the first attempt of a produce and, when it retries, sends again only to nodes without an answer: a partition that
// has meanwhile moved to an answered node is never sent, and sendBatch resolves as if it had been. The transaction
// then commits without those messages, the relay deletes their rows, and they are lost (CI once: 21 of 120 invoices,
// outbox empty). The relay must check that every partition of a send was written before it commits.
import { randomUUID } from 'node:crypto';
import { type Admin, type Kafka, Partitioners } from 'kafkajs';
import { createKafka, enqueueOutbox, OutboxRelay, outboxTransactionalId } from '@lib/messaging';
import { createLogger, metricsRegistry } from '@lib/observability';
import { pollUntil, TopicCollector } from '@lib/testing';
import { MessagingHarness } from '../../libs/messaging/test/harness';
import { clusterCtl, waitFullyReplicated, waitTopicsKnownEverywhere } from './kafka-cluster';

jest.setTimeout(240_000);

const PER_PARTITION = 20;

describe('outbox relay while a partition moves to a node that already answered (three-node cluster)', () => {
  let kafka: Kafka;
  let h: MessagingHarness;
  let admin: Admin;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    clusterCtl('start');
    kafka = createKafka(
      { brokers: clusterCtl('brokers').split(','), clientId: 'relay-leader-move' },
      createLogger('kafkajs', 'error'),
    );
    h = new MessagingHarness(kafka);
    await h.start([]);
    admin = h.admin;
    // Node 1 leads partition 0 and node 2 partition 1; each is the other's only follower, so partition 1 moves to
    // node 1 when node 2 dies. One in-sync replica is enough for acks=all here (the other topics keep 2).
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: h.topic('orders'),
          replicaAssignment: [
            { partition: 0, replicas: [1, 2] },
            { partition: 1, replicas: [2, 1] },
          ],
          configEntries: [{ name: 'min.insync.replicas', value: '1' }],
        },
        {
          topic: h.topic('outbox.progress'),
          replicaAssignment: [{ partition: 0, replicas: [1, 3] }],
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
    await waitTopicsKnownEverywhere([h.topic('orders'), h.topic('outbox.progress')]);
  });

  afterAll(async () => {
    await relay?.stop();
    clusterCtl('start-node', '2');
    if (admin) await waitFullyReplicated(admin, h.prefix, 120_000).catch(() => undefined);
    await h?.stop();
  });

  it('publishes every row of a send once when a partition leader dies mid-send', async () => {
    const keys = await keysOfPartitions(h.topic('orders'));
    const relayId = await relayIdCoordinatedAwayFrom(2, h.schema);
    relay = new OutboxRelay(h.dataSource, kafka, {
      relayId,
      kafkaPrefix: h.prefix,
      progressTopic: h.topic('outbox.progress'),
      idleDelayMs: 20,
      standbyDelayMs: 200,
    });
    relay.start();
    // One row to each partition: the relay's producer now knows node 2 as partition 1's leader.
    const warmUp = await enqueue([keys[0], keys[1]]);
    const collector = await subscribedCollector();
    try {
      await pollUntil(
        () => warmUp.filter((id) => collector.messages.some((m) => m.headers['event-id'] === id)).length,
        (n) => n === warmUp.length,
        { what: 'the warm-up rows published', timeoutMs: 60_000 },
      );
    } finally {
      await collector.stop();
    }

    // Node 2 hangs: the relay's send reaches it and waits for an answer while node 1 answers for partition 0 (and
    // the marker). The others fence node 2 and partition 1 moves to node 1; then node 2 dies, which fails the
    // request in flight, and kafkajs retries with fresh metadata.
    clusterCtl('pause', '2');
    const ids = await enqueue([
      ...Array<string>(PER_PARTITION).fill(keys[0]),
      ...Array<string>(PER_PARTITION).fill(keys[1]),
    ]);
    await waitLeader(h.topic('orders'), 1, 1);
    clusterCtl('kill', '2');

    await pollUntil(outboxRows, (n) => n === 0, { what: 'the outbox emptied', timeoutMs: 120_000 });
    await relay.stop();
    relay = undefined;

    // Read back once the node is back and in sync, with a fresh reader (one that lived through the kill may have
    // crashed with it): a message the relay's transaction left out is missing for good.
    clusterCtl('start-node', '2');
    await waitFullyReplicated(admin, h.prefix, 120_000);
    const reader = await subscribedCollector();
    try {
      const counts = () =>
        ids.map((id) => reader.messages.filter((m) => m.headers['event-id'] === id).length);
      await pollUntil(counts, (c) => c.every((n) => n > 0), { timeoutMs: 20_000 }).catch(() => undefined);
      expect({
        lost: counts().filter((n) => n === 0).length,
        twice: counts().filter((n) => n > 1).length,
      }).toEqual({
        lost: 0,
        twice: 0,
      });
    } finally {
      await reader.stop();
    }
    // The fault struck as intended: kafkajs resolved a send without partition 1 (and the relay did not commit it).
    expect(await incompleteSends(relayId)).toBeGreaterThan(0);
  });

  /** Waits until `node` leads `partition` of `topic`, asking the nodes other than 2 (which may hang). */
  async function waitLeader(topic: string, partition: number, node: number): Promise<void> {
    const brokers = clusterCtl('brokers').split(',');
    const others = createKafka(
      { brokers: [brokers[0], brokers[2]], clientId: 'relay-leader-move-probe', requestTimeoutMs: 2_000 },
      createLogger('kafkajs', 'fatal'),
    ).admin();
    await others.connect();
    try {
      await pollUntil(
        () =>
          others
            .fetchTopicMetadata({ topics: [topic] })
            .then(({ topics }) => topics[0].partitions.find((p) => p.partitionId === partition)?.leader)
            .catch(() => undefined),
        (leader) => leader === node,
        { what: `node ${node} leading ${topic}-${partition}`, timeoutMs: 20_000, intervalMs: 250 },
      );
    } finally {
      await others.disconnect();
    }
  }

  /** A collector of the orders topic from its start; a new topic's metadata reaches every node after a moment. */
  function subscribedCollector(): Promise<TopicCollector> {
    return pollUntil(
      async () => {
        const c = new TopicCollector(kafka, [h.topic('orders')]);
        return c.start().catch(() =>
          c.stop().then(
            () => undefined,
            () => undefined,
          ),
        );
      },
      (c) => c !== undefined,
      { what: 'a collector subscribed', timeoutMs: 60_000, intervalMs: 1_000 },
    ).then((c) => c!);
  }

  async function enqueue(keys: string[]): Promise<string[]> {
    const messages = keys.map((key) => {
      const eventId = randomUUID();
      return {
        topic: h.topic('orders'),
        key,
        eventId,
        eventType: 't',
        payload: h.envelope('t', {}, eventId),
      };
    });
    await h.dataSource.transaction((m) => enqueueOutbox(m, messages));
    return messages.map((m) => m.eventId);
  }

  async function incompleteSends(relayId: string): Promise<number> {
    const metric = await metricsRegistry.getSingleMetric('outbox_incomplete_sends_total')?.get();
    return metric?.values.find((v) => v.labels.relay === relayId)?.value ?? 0;
  }

  async function outboxRows(): Promise<number> {
    const [{ n }] = (await h.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[];
    return n;
  }

  /** A key for each partition of a two-partition topic, as the producer's partitioner places them. */
  async function keysOfPartitions(topic: string): Promise<[string, string]> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitioner = Partitioners.DefaultPartitioner();
    const of = (key: string) =>
      partitioner({ topic, partitionMetadata: topics[0].partitions, message: { key, value: null } });
    const found: string[] = [];
    for (let i = 0; found.length < 2; i++) if (of(`key-${i}`) === found.length) found.push(`key-${i}`);
    return [found[0], found[1]];
  }

  /**
   * A relay id whose transaction coordinator (the leader of its __transaction_state partition) is not `node`: the
   * test takes a partition's leader away, not the coordinator of the relay's transactions.
   */
  async function relayIdCoordinatedAwayFrom(node: number, base: string): Promise<string> {
    const probe = kafka.producer({
      transactionalId: `${h.prefix}probe`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await probe.connect();
    await (await probe.transaction()).abort(); // its InitProducerId creates __transaction_state on a new cluster
    await probe.disconnect();
    const partitions = await pollUntil(
      () =>
        admin
          .fetchTopicMetadata({ topics: ['__transaction_state'] })
          .then(({ topics }) => topics[0].partitions)
          .catch(() => []),
      (ps) => ps.length > 0 && ps.every((p) => p.leader >= 0),
      { what: '__transaction_state led', timeoutMs: 60_000 },
    );
    for (let i = 0; ; i++) {
      const relayId = `${base}.${i}`;
      const txnId = outboxTransactionalId({ relayId, kafkaPrefix: h.prefix });
      const leader = partitions.find(
        (p) => p.partitionId === coordinatorPartition(txnId, partitions.length),
      )?.leader;
      if (leader !== undefined && leader !== node) return relayId;
    }
  }
});

/** Kafka's partition of a transactional id in __transaction_state: abs(Java String.hashCode) mod partitions. */
function coordinatorPartition(id: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}
