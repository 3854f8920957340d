import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pollUntil, TopicCollector, testDatabaseUrl, testKafkaBrokers } from '@lib/testing';
import { killHard, spawnTs } from '../../../test/support/child-process';
import { enqueueOutbox } from '../src/outbox/outbox-writer';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { RelayProgressLog } from '../src/outbox/relay-progress-log';
import { toRanges } from '../src/outbox/id-ranges';
import { MessagingHarness } from './harness';

jest.setTimeout(240_000);

const TOTAL = 10_000;
const KEYS = Array.from({ length: 64 }, (_, i) => `key-${i}`);

describe('transactional outbox relay (real PostgreSQL + Kafka)', () => {
  const h = new MessagingHarness();
  let collector: TopicCollector;

  beforeAll(async () => {
    await h.start([
      { name: 'orders', partitions: 6 },
      { name: 'outbox.progress', partitions: 1, compact: true },
    ]);
    collector = await new TopicCollector(h.kafka, [h.topic('orders')]).start();
  });

  afterAll(async () => {
    await collector?.stop();
    await h.stop();
  });

  it('publishes 10,000 rows from concurrent transactions exactly once, in order per key, across relay crashes', async () => {
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      RELAY_SCHEMA: h.schema,
      RELAY_ID: h.schema,
      RELAY_PROGRESS_TOPIC: h.topic('outbox.progress'),
      RELAY_BATCH_SIZE: '150',
    };
    const relayScript = resolve(__dirname, 'relay-process.ts');
    let relay = spawnTs(relayScript, env);

    let committed = 0;
    let rolledBack = 0;
    const writer = async (worker: number) => {
      let n = 0;
      while (committed < TOTAL) {
        const rollback = (worker + n++) % 9 === 0;
        const want = Math.min(1 + (n % 4), TOTAL - committed);
        if (want <= 0) break;
        const keys = [
          ...new Set(
            Array.from({ length: want }, (_, i) => KEYS[(worker * 7 + n * 3 + i * 11) % KEYS.length]),
          ),
        ].sort();
        try {
          await h.dataSource.transaction(async (m) => {
            const messages = [];
            for (const key of keys) {
              const [{ seq }] = (await m.query(
                `INSERT INTO key_seq (message_key, seq) VALUES ($1, 1)
                 ON CONFLICT (message_key) DO UPDATE SET seq = key_seq.seq + 1 RETURNING seq`,
                [key],
              )) as { seq: number }[];
              const id = randomUUID();
              messages.push({
                topic: h.topic('orders'),
                key,
                eventId: id,
                eventType: 't',
                payload: h.envelope('t', { key, seq }, id),
              });
            }
            await enqueueOutbox(m, messages);
            if (rollback) throw new Error('rollback on purpose');
          });
          committed += keys.length;
        } catch {
          rolledBack++;
        }
      }
    };

    const writing = Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));

    // Kill the relay twice while it is publishing, restart it each time.
    for (const threshold of [2_000, 6_000]) {
      await pollUntil(
        () => collector.messages.length,
        (n) => n >= threshold,
        { timeoutMs: 120_000, what: `${threshold} published` },
      );
      await killHard(relay);
      relay = spawnTs(relayScript, env);
    }
    await writing;

    const received = await pollUntil(
      () => collector.messages.length,
      (n) => n >= committed,
      {
        timeoutMs: 120_000,
        what: 'all committed messages',
      },
    );
    await new Promise((r) => setTimeout(r, 2_000)); // anything extra (a duplicate) would show up now
    relay.kill('SIGTERM');

    expect(rolledBack).toBeGreaterThan(0);
    expect(received).toBeGreaterThanOrEqual(TOTAL);
    const ids = collector.messages.map((m) => m.headers['event-id']);
    expect(new Set(ids).size).toBe(collector.messages.length); // no duplicates
    expect(collector.messages.length).toBe(committed); // nothing lost, nothing rolled back leaked

    const seqsByKey = new Map<string, number[]>();
    for (const m of collector.messages) {
      const { data } = JSON.parse(m.value as string) as { data: { key: string; seq: number } };
      seqsByKey.set(data.key, [...(seqsByKey.get(data.key) ?? []), data.seq]);
    }
    // Per key: 1, 2, 3... with no gap and no swap (commit order), whatever the relay went through.
    const outOfOrder = [...seqsByKey]
      .filter(([, seqs]) => seqs.some((seq, i) => seq !== i + 1))
      .map(([key]) => key);
    expect(outOfOrder).toEqual([]);
    const [{ left }] = (await h.dataSource.query('SELECT count(*)::int AS left FROM outbox')) as {
      left: number;
    }[];
    expect(left).toBe(0);
  });

  it('after a crash between the Kafka commit and the row delete, the next leader deletes instead of republishing', async () => {
    const topic = h.topic('orders');
    const before = collector.messages.length;
    // Write 3 rows, then publish them "by hand" exactly as a relay would, and "crash" before deleting.
    const ids: string[] = [];
    await h.dataSource.transaction(async (m) => {
      for (let i = 0; i < 3; i++) {
        const eventId = randomUUID();
        await enqueueOutbox(m, [
          { topic, key: 'crash', eventId, eventType: 't', payload: h.envelope('t', { i }, eventId) },
        ]);
      }
    });
    const rows = (await h.dataSource.query(
      'SELECT id::text AS id, event_id::text AS event_id, payload FROM outbox ORDER BY id',
    )) as {
      id: string;
      event_id: string;
      payload: string;
    }[];
    ids.push(...rows.map((r) => r.id));
    const relayId = `${h.schema}-crash`;
    const progressTopic = h.topic('outbox.progress');
    const producer = h.kafka.producer({
      transactionalId: `outbox-relay.${relayId}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic,
          messages: rows.map((r) => ({
            key: 'crash',
            value: r.payload,
            headers: { 'event-id': r.event_id },
          })),
        },
        {
          topic: progressTopic,
          messages: [
            new RelayProgressLog(h.kafka, progressTopic, relayId).markerMessage(toRanges(ids), new Date()),
          ],
        },
      ],
    });
    await txn.commit();
    await producer.disconnect();

    const relay = new OutboxRelay(h.dataSource, h.kafka, { relayId, progressTopic, idleDelayMs: 20 });
    relay.start();
    try {
      await pollUntil(
        async () =>
          ((await h.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0].n,
        (n) => n === 0,
        { what: 'outbox drained' },
      );
      await new Promise((r) => setTimeout(r, 1_500));
      const crashMessages = collector.messages.slice(before).filter((m) => m.key === 'crash');
      expect(crashMessages).toHaveLength(3);
      expect(relay.publishedCount).toBe(0);
    } finally {
      await relay.stop();
    }
  });
});
