import { randomBytes, randomUUID } from 'node:crypto';
import { DLQ_HEADERS } from '@lib/contracts';
import { metricsRegistry } from '@lib/observability';
import { CollectedMessage, pollUntil, TopicCollector } from '@lib/testing';
import { OutboxRelay, OutboxRelayOptions, outboxTransactionalId } from '../src/outbox/outbox-relay';
import { enqueueOutbox } from '../src/outbox/outbox-writer';
import { PartitionLookup } from '../src/outbox/partition-lookup';
import { RelayProgressLog } from '../src/outbox/relay-progress-log';
import { MessagingHarness } from './harness';

jest.setTimeout(180_000);

const MiB = 1024 * 1024;

/** Random bytes as base64: gzip gains little on it, so its size on the wire is about its size here. */
const noise = (bytes: number) => randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64');

/** Like the gateway's worst invoice: 2,000 lines with long names, ~1.4 MiB of JSON that gzip shrinks many times. */
const bigInvoice = () =>
  Array.from({ length: 2_000 }, (_, i) => ({
    line: i + 1,
    name: `精密数控机床主轴轴承总成（含配套密封件、润滑组件及安装调试服务）规格型号 HX-${i}`.repeat(6),
    unit: '套',
    quantity: '1.000',
    amount: '12345.67',
  }));

interface Row {
  key: string;
  seq: number;
  fill?: unknown;
}

/**
 * A Kafka send has limits the outbox does not: a topic refuses a record batch (per partition, after compression) over
 * its max.message.bytes. The relay sizes its sends by bytes, compresses them, and parks what no send can carry, so
 * that one row never holds up the rows behind it.
 */
describe('outbox relay with messages of every size (real PostgreSQL + Kafka)', () => {
  const h = new MessagingHarness();
  let collector: TopicCollector;

  beforeAll(async () => {
    await h.start([
      { name: 'orders', partitions: 3, dlq: true },
      { name: 'outbox.progress', partitions: 1, compact: true },
    ]);
    collector = await new TopicCollector(h.kafka, [h.topic('orders'), h.topic('orders.dlq')]).start();
  });

  afterAll(async () => {
    await collector?.stop();
    await h.stop();
  });

  /** Writes the rows in one transaction, in this order; returns their event ids. */
  async function enqueue(rows: Row[]): Promise<string[]> {
    const ids = rows.map(() => randomUUID());
    await h.dataSource.transaction((m) =>
      enqueueOutbox(
        m,
        rows.map((row, i) => ({
          topic: h.topic('orders'),
          key: row.key,
          eventId: ids[i],
          eventType: 'order.sized',
          payload: h.envelope('order.sized', row, ids[i]),
        })),
      ),
    );
    return ids;
  }

  async function withRelay(options: Partial<OutboxRelayOptions>, body: () => Promise<void>): Promise<void> {
    const relay = new OutboxRelay(h.dataSource, h.kafka, {
      relayId: h.schema,
      progressTopic: h.topic('outbox.progress'),
      idleDelayMs: 20,
      ...options,
    });
    relay.start();
    try {
      await body();
    } finally {
      await relay.stop();
    }
  }

  const published = (ids: string[]) => {
    const wanted = new Set(ids);
    return collector.messages.filter(
      (m) => m.topic === h.topic('orders') && wanted.has(m.headers['event-id']),
    );
  };
  const deadLetters = () => collector.messages.filter((m) => m.topic === h.topic('orders.dlq'));
  const seqsByKey = (messages: CollectedMessage[]) => {
    const seqs = new Map<string, number[]>();
    for (const m of messages) {
      const { data } = JSON.parse(m.value as string) as { data: Row };
      seqs.set(data.key, [...(seqs.get(data.key) ?? []), data.seq]);
    }
    return seqs;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    ((await h.dataSource.query(sql, params)) as { n: number }[])[0].n;
  const parkedTotal = async () => {
    const metric = metricsRegistry.getSingleMetric('outbox_parked_total');
    const values = metric ? (await metric.get()).values : [];
    return values.reduce((sum, v) => sum + v.value, 0);
  };

  it('parks a row that no send can carry, publishes every row behind it in order, and says so on the DLQ', async () => {
    // 30 rows over three keys; the 13th (key a-0) is 3 MiB of noise, far over the topic's 1 MiB even gzip-compressed.
    const rows: Row[] = Array.from({ length: 30 }, (_, seq) => ({ key: `a-${seq % 3}`, seq }));
    rows[12] = { ...rows[12], fill: noise(3 * MiB) };
    const ids = await enqueue(rows);
    const hugeId = ids[12];
    const normalIds = ids.filter((id) => id !== hugeId);
    const parkedBefore = await parkedTotal();

    await withRelay({}, async () => {
      await pollUntil(
        () => published(normalIds).length,
        (n) => n === normalIds.length,
        { timeoutMs: 60_000, what: 'the 29 rows that fit' },
      );
      await pollUntil(
        () => deadLetters().filter((m) => m.headers['event-id'] === hugeId).length,
        (n) => n === 1,
        { timeoutMs: 30_000, what: 'the DLQ record of the parked row' },
      );
      await pollUntil(
        () => count('SELECT count(*)::int AS n FROM outbox'),
        (n) => n === 0,
        {
          what: 'outbox drained',
        },
      );
    });

    expect(published([hugeId])).toEqual([]);
    expect(seqsByKey(published(normalIds))).toEqual(
      new Map([
        ['a-0', [0, 3, 6, 9, 15, 18, 21, 24, 27]],
        ['a-1', [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]],
        ['a-2', [2, 5, 8, 11, 14, 17, 20, 23, 26, 29]],
      ]),
    );

    const [parked] = (await h.dataSource.query(
      `SELECT outbox_id::text AS outbox_id, topic, message_key, event_type, payload, reason
         FROM outbox_parked WHERE event_id = $1`,
      [hugeId],
    )) as {
      outbox_id: string;
      topic: string;
      message_key: string;
      event_type: string;
      payload: string;
      reason: string;
    }[];
    expect(parked).toMatchObject({ topic: h.topic('orders'), message_key: 'a-0', event_type: 'order.sized' });
    expect((JSON.parse(parked.payload) as { data: Row }).data.fill).toEqual(rows[12].fill);
    expect(parked.reason).toMatch(/MESSAGE_TOO_LARGE/);

    const [letter] = deadLetters().filter((m) => m.headers['event-id'] === hugeId);
    expect(letter.key).toBe('a-0');
    expect(letter.headers).toMatchObject({
      'event-type': 'order.sized',
      'outbox-id': parked.outbox_id,
      'outbox-parked-in': `${h.schema}.outbox_parked`,
      [DLQ_HEADERS.sourceTopic]: h.topic('orders'),
      [DLQ_HEADERS.errorCode]: 'MESSAGE_TOO_LARGE',
    });
    expect(letter.headers[DLQ_HEADERS.errorMessage]).toContain(`${h.schema}.outbox_parked`);
    expect((letter.value ?? '').length).toBeLessThan(4_000); // metadata only, not the payload
    expect(JSON.parse(letter.value as string)).toMatchObject({
      outboxId: parked.outbox_id,
      eventId: hugeId,
      eventType: 'order.sized',
      key: 'a-0',
      topic: h.topic('orders'),
      parkedIn: `${h.schema}.outbox_parked`,
    });
    expect(await parkedTotal()).toBe(parkedBefore + 1);

    // The relay sized its sends for the partitions the producer then chose.
    const lookup = new PartitionLookup(h.kafka);
    await lookup.load([h.topic('orders')]);
    const messages = published(normalIds);
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);
    expect(messages.map((m) => lookup.partitionOf(m.topic, m.key as string))).toEqual(
      messages.map((m) => m.partition),
    );
  });

  it('publishes many large rows of one partition (several MiB together) over several sends, parking none', async () => {
    // One key, hence one partition: 48 rows of 64 KiB of noise (3 MiB, ~2.3 MiB gzipped), then an invoice-sized row
    // of ~1.4 MiB that fits only compressed, then small rows.
    const rows: Row[] = [
      ...Array.from({ length: 48 }, (_, seq) => ({ key: 'b', seq, fill: noise(64 * 1024) })),
      { key: 'b', seq: 48, fill: bigInvoice() },
      ...Array.from({ length: 10 }, (_, i) => ({ key: 'b', seq: 49 + i })),
    ];
    expect(Buffer.byteLength(JSON.stringify(rows[48].fill))).toBeGreaterThan(1.4 * MiB);
    const ids = await enqueue(rows);
    const lettersBefore = deadLetters().length;

    await withRelay({}, async () => {
      await pollUntil(
        () => published(ids).length,
        (n) => n === ids.length,
        { timeoutMs: 90_000, what: 'all 59 rows' },
      );
      await pollUntil(
        () => count('SELECT count(*)::int AS n FROM outbox'),
        (n) => n === 0,
        {
          what: 'outbox drained',
        },
      );
    });

    expect(seqsByKey(published(ids)).get('b')).toEqual(rows.map((r) => r.seq));
    expect(
      await count('SELECT count(*)::int AS n FROM outbox_parked WHERE event_id = ANY($1::uuid[])', [ids]),
    ).toBe(0);
    expect(deadLetters().length).toBe(lettersBefore);
  });

  it('finds the row to park by splitting the send when sends are sized too generously', async () => {
    // A send budget far over the topic's limit puts everything in one send: the broker refuses it, and the relay
    // halves the send until the refused part is the one row that cannot fit.
    const rows: Row[] = Array.from({ length: 24 }, (_, seq) => ({
      key: `c-${seq % 2}`,
      seq,
      fill: seq % 4 === 0 ? noise(200 * 1024) : undefined,
    }));
    rows[17] = { ...rows[17], fill: noise(2 * MiB) };
    const ids = await enqueue(rows);
    const hugeId = ids[17];
    const normalIds = ids.filter((id) => id !== hugeId);

    await withRelay({ sendBytes: 64 * MiB }, async () => {
      await pollUntil(
        () => published(normalIds).length,
        (n) => n === normalIds.length,
        { timeoutMs: 90_000, what: 'the 23 rows that fit' },
      );
      await pollUntil(
        () => count('SELECT count(*)::int AS n FROM outbox'),
        (n) => n === 0,
        {
          what: 'outbox drained',
        },
      );
    });

    expect(published([hugeId])).toEqual([]);
    const seqs = seqsByKey(published(normalIds));
    expect(seqs.get('c-0')).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    expect(seqs.get('c-1')).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 19, 21, 23]);
    expect(await count('SELECT count(*)::int AS n FROM outbox_parked WHERE event_id = $1', [hugeId])).toBe(1);
    await pollUntil(
      () => deadLetters().filter((m) => m.headers['event-id'] === hugeId).length,
      (n) => n === 1,
      { what: 'the DLQ record of the parked row' },
    );
  });

  it('after a crash between the DLQ record and the database commit, the next leader parks the row, reporting it once', async () => {
    const [eventId] = await enqueue([{ key: 'd', seq: 0, fill: 'too large, say' }]);
    const [{ id }] = (await h.dataSource.query('SELECT id::text AS id FROM outbox WHERE event_id = $1', [
      eventId,
    ])) as { id: string }[];
    // What a relay commits to Kafka when it parks a row (the DLQ record left out): a marker naming the row as parked.
    // Its database transaction (the copy to outbox_parked, the delete) then never commits.
    const relayId = `${h.schema}-crash`;
    const progressTopic = h.topic('outbox.progress');
    const producer = h.kafka.producer({
      transactionalId: outboxTransactionalId({ relayId }),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({
      topic: progressTopic,
      acks: -1,
      messages: [
        new RelayProgressLog(h.kafka, progressTopic, relayId).markerMessage([], new Date(), [
          { id, reason: 'refused before the crash' },
        ]),
      ],
    });
    await txn.commit();
    await producer.disconnect();
    const lettersBefore = deadLetters().length;

    const relay = new OutboxRelay(h.dataSource, h.kafka, { relayId, progressTopic, idleDelayMs: 20 });
    relay.start();
    try {
      await pollUntil(
        () => count('SELECT count(*)::int AS n FROM outbox'),
        (n) => n === 0,
        {
          what: 'outbox drained',
        },
      );
      await new Promise((r) => setTimeout(r, 1_500)); // a publication or a second DLQ record would show up now
      expect(relay.publishedCount).toBe(0);
    } finally {
      await relay.stop();
    }
    expect(
      await h.dataSource.query(
        'SELECT event_id::text AS event_id, reason FROM outbox_parked WHERE outbox_id = $1',
        [id],
      ),
    ).toEqual([{ event_id: eventId, reason: 'refused before the crash' }]);
    expect(published([eventId])).toEqual([]);
    expect(deadLetters().length).toBe(lettersBefore);
  });
});
