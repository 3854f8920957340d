import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pollUntil, TopicCollector, testDatabaseUrl, testKafkaBrokers } from '@lib/testing';
import { killHard, spawnTs } from '../../../test/support/child-process';
import { enqueueOutbox } from '../src/outbox/outbox-writer';
import { MessagingHarness } from './harness';

jest.setTimeout(240_000);

const TOTAL = 2_000;
const KEYS = 20;

/**
 * A batch cut into many sends is deleted from the outbox only after its last send: each send's progress marker names
 * everything the batch published so far, so a leader killed between two sends of a batch is followed by one that
 * deletes all of it, and republishes nothing.
 */
describe('outbox relay killed between the sends of a batch (real PostgreSQL + Kafka)', () => {
  const h = new MessagingHarness();
  let collector: TopicCollector;

  beforeAll(async () => {
    await h.start([
      { name: 'orders', partitions: 4 },
      { name: 'outbox.progress', partitions: 1, compact: true },
    ]);
    collector = await new TopicCollector(h.kafka, [h.topic('orders')]).start();
  });

  afterAll(async () => {
    await collector?.stop();
    await h.stop();
  });

  it('publishes every row exactly once, in order per key, across kills of a relay whose batches take many sends', async () => {
    for (let from = 0; from < TOTAL; from += 500) {
      await h.dataSource.transaction((m) =>
        enqueueOutbox(
          m,
          Array.from({ length: 500 }, (_, i) => {
            const n = from + i;
            const key = `key-${n % KEYS}`;
            const id = randomUUID();
            return {
              topic: h.topic('orders'),
              key,
              eventId: id,
              eventType: 't',
              payload: h.envelope('t', { key, seq: Math.floor(n / KEYS) }, id),
            };
          }),
        ),
      );
    }
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      RELAY_SCHEMA: h.schema,
      RELAY_ID: h.schema,
      RELAY_PROGRESS_TOPIC: h.topic('outbox.progress'),
      RELAY_BATCH_SIZE: '200',
      RELAY_SEND_BYTES: '3000', // rows of some 350 bytes as sent: a batch of 200 takes some 25 sends
    };
    const relayScript = resolve(__dirname, 'relay-process.ts');
    let relay = spawnTs(relayScript, env);
    for (const threshold of [300, 900, 1_500]) {
      await pollUntil(
        () => collector.messages.length,
        (n) => n >= threshold,
        { timeoutMs: 120_000, what: `${threshold} published` },
      );
      await killHard(relay);
      relay = spawnTs(relayScript, env);
    }
    await pollUntil(
      () => collector.messages.length,
      (n) => n >= TOTAL,
      { timeoutMs: 120_000, what: 'every row' },
    );
    await new Promise((r) => setTimeout(r, 2_000)); // anything extra (a duplicate) would show up now
    await killHard(relay);

    const ids = collector.messages.map((m) => m.headers['event-id']);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(collector.messages).toHaveLength(TOTAL);
    const seqsByKey = new Map<string, number[]>();
    for (const m of collector.messages) {
      const { data } = JSON.parse(m.value as string) as { data: { key: string; seq: number } };
      seqsByKey.set(data.key, [...(seqsByKey.get(data.key) ?? []), data.seq]);
    }
    const outOfOrder = [...seqsByKey]
      .filter(([, seqs]) => seqs.some((seq, i) => seq !== i))
      .map(([key]) => key);
    expect(outOfOrder).toEqual([]);
    const [{ left }] = (await h.dataSource.query('SELECT count(*)::int AS left FROM outbox')) as {
      left: number;
    }[];
    expect(left).toBe(0);
  });
});
