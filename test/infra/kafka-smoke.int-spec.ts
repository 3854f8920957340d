// Smoke test of the local broker (deploy/kafka/kafka.sh) with the client the apps use (kafkajs): topic admin, an
// idempotent producer with keys and headers, a two-member consumer group, per-key order and committed offsets.
// Runs against KAFKA_BROKERS (default 127.0.0.1:9092); start a broker first with `npm run kafka -- start`.
import { randomUUID } from 'node:crypto';
import { Admin, Consumer, IHeaders, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0);

const PARTITIONS = 3;
// Fixed keys: the default (murmur2) partitioner spreads these over all three partitions, which the test checks.
const KEYS = Array.from({ length: 12 }, (_, i) => `invoice-${i}`);
const MESSAGES_PER_KEY = 25;
const TOTAL = KEYS.length * MESSAGES_PER_KEY;

interface Received {
  consumer: string;
  partition: number;
  offset: string;
  key: string;
  seq: number;
  id: string;
  headers: Record<string, string>;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return out;
}

describe(`local Kafka broker at ${brokers.join(',')}`, () => {
  const suffix = randomUUID();
  const topic = `infra-smoke-${suffix}`;
  const groupId = `infra-smoke-group-${suffix}`;
  const kafka = new Kafka({
    clientId: 'infra-smoke',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 5, initialRetryTime: 200 },
  });
  let admin: Admin;
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  let topicCreated = false;

  beforeAll(async () => {
    admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } catch (error) {
      throw new Error(
        `no Kafka broker answers at ${brokers.join(',')} (start one with \`npm run kafka -- start\`): ${String(error)}`,
      );
    }
  }, 30_000); // a broker started a moment ago, on a busy machine, may take seconds to answer its first metadata request

  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await producer?.disconnect();
    if (topicCreated) {
      await admin.deleteTopics({ topics: [topic] });
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    await admin.disconnect();
  }, 30_000);

  it('creates a topic, produces idempotently and consumes every message exactly once, in key order', async () => {
    await expect(
      admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: false,
      }),
    ).resolves.toBe(true);
    topicCreated = true;
    // kafkajs's own wait for leaders gives up on the UNKNOWN_TOPIC_OR_PARTITION a busy broker answers for a moment
    // after the creation; wait here instead, through that answer.
    let partitions: { leader: number }[] = [];
    await waitFor('the new topic to have a leader for each partition', async () => {
      partitions = await admin
        .fetchTopicMetadata({ topics: [topic] })
        .then((m) => m.topics[0].partitions)
        .catch(() => []);
      return partitions.length === PARTITIONS && partitions.every((p) => p.leader >= 0);
    });
    expect(partitions).toHaveLength(PARTITIONS);

    // Two members of one group; produce only once the group is stable so no rebalance replays anything.
    const received: Received[] = [];
    const assignments = new Map<string, number[]>();
    for (const name of ['consumer-a', 'consumer-b']) {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments.set(name, [...(event.payload.memberAssignment[topic] ?? [])]);
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers = headerStrings(message.headers);
          const body = JSON.parse(message.value?.toString() ?? 'null') as {
            id: string;
            key: string;
            seq: number;
          };
          received.push({
            consumer: name,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            seq: body.seq,
            id: body.id,
            headers,
          });
        },
      });
    }
    await waitFor('both consumers to share the three partitions', () => {
      const a = assignments.get('consumer-a') ?? [];
      const b = assignments.get('consumer-b') ?? [];
      const all = [...a, ...b].sort();
      return a.length > 0 && b.length > 0 && all.join() === '0,1,2';
    });

    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const sent = new Map<string, { key: string; seq: number }>();
    // Interleave keys and send in several batches, so per-key order is not an accident of one request.
    for (let seq = 0; seq < MESSAGES_PER_KEY; seq += 1) {
      const messages = KEYS.map((key) => {
        const id = randomUUID();
        sent.set(id, { key, seq });
        return {
          key,
          value: JSON.stringify({ id, key, seq }),
          headers: {
            'event-id': id,
            'event-type': 'infra.smoke.v1',
            traceparent: `00-${suffix.replace(/-/g, '')}-${'0'.repeat(15)}1-01`,
          },
        };
      });
      const metadataPerPartition = await producer.send({ topic, acks: -1, messages });
      expect(metadataPerPartition.every((m) => m.errorCode === 0)).toBe(true);
    }

    await waitFor(`${TOTAL} messages`, () => received.length >= TOTAL);
    // Linger briefly: a duplicate delivered late (e.g. after a rebalance) must be counted, not missed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(TOTAL);

    // Exactly once: every sent id exactly once, nothing unknown.
    const ids = received.map((r) => r.id);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids.every((id) => sent.has(id))).toBe(true);

    // Headers and keys arrive as sent.
    for (const r of received) {
      expect(r.key).toBe(sent.get(r.id)?.key);
      expect(r.headers['event-id']).toBe(r.id);
      expect(r.headers['event-type']).toBe('infra.smoke.v1');
      expect(r.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }

    // Keys land on one partition each, all partitions are used, and both members consumed some of them.
    const partitionOfKey = new Map<string, Set<number>>();
    for (const r of received)
      partitionOfKey.set(r.key, (partitionOfKey.get(r.key) ?? new Set()).add(r.partition));
    expect([...partitionOfKey.values()].every((p) => p.size === 1)).toBe(true);
    expect(new Set(received.map((r) => r.partition)).size).toBe(PARTITIONS);
    expect(new Set(received.map((r) => r.consumer))).toEqual(new Set(['consumer-a', 'consumer-b']));
    // Each partition was read by exactly one member.
    for (let p = 0; p < PARTITIONS; p += 1) {
      expect(new Set(received.filter((r) => r.partition === p).map((r) => r.consumer)).size).toBe(1);
    }

    // Order per key: sequence numbers arrive 0..n-1 in order.
    for (const key of KEYS) {
      expect(received.filter((r) => r.key === key).map((r) => r.seq)).toEqual(
        Array.from({ length: MESSAGES_PER_KEY }, (_, i) => i),
      );
    }

    // Committed offsets of the group reach the end of every partition.
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
    expect([...ends.values()].reduce((sum, high) => sum + Number(high), 0)).toBe(TOTAL);
    let committed: { partition: number; offset: string }[] = [];
    await waitFor('committed offsets at the end of every partition', async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      committed = offsets?.partitions ?? [];
      return committed.length === PARTITIONS && committed.every((c) => c.offset === ends.get(c.partition));
    });
    expect(committed.map((c) => c.offset).sort()).toEqual([...ends.values()].sort());
  }, 90_000);
});
