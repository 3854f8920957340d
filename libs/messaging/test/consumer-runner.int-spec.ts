import { AppError } from '@lib/common';
import { pollUntil, TopicCollector } from '@lib/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ConsumerRunner } from '../src/consumer/consumer-runner';
import { MessagingHarness } from './harness';

jest.setTimeout(120_000);

describe('consumer runner: inbox, DLQ and commit-after-transaction (real PostgreSQL + Kafka)', () => {
  const h = new MessagingHarness();
  let producer: Producer;
  const runners: ConsumerRunner[] = [];

  beforeAll(async () => {
    await h.start([
      { name: 'events', partitions: 1, dlq: true },
      { name: 'flaky', partitions: 1, dlq: true },
    ]);
    producer = h.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await producer.disconnect();
    await h.stop();
  });

  const handledCount = async (id?: string) =>
    (
      (await h.dataSource.query(
        id
          ? 'SELECT count(*)::int AS n FROM handled WHERE event_id = $1'
          : 'SELECT count(*)::int AS n FROM handled',
        id ? [id] : [],
      )) as { n: number }[]
    )[0].n;

  function startRunner(topic: string, handler: (body: string, id: string) => Promise<void>) {
    const runner = new ConsumerRunner(h.kafka, h.dataSource, {
      groupId: `${h.prefix}group-${topic}`,
      topics: [h.topic(topic)],
      maxAttempts: 3,
      backoff: { initialMs: 50, maxMs: 200, multiplier: 2, jitter: 0 },
      handler: async (message, manager) => {
        const data = JSON.stringify(message.envelope.data);
        await handler(data, message.envelope.id);
        await manager.query('INSERT INTO handled (event_id, body) VALUES ($1, $2)', [
          message.envelope.id,
          data,
        ]);
      },
    });
    runners.push(runner);
    return runner.start();
  }

  it('ignores a redelivered message, sends poison to the DLQ and goes on with the next', async () => {
    const calls: string[] = [];
    await startRunner('events', async (body, id) => {
      calls.push(id);
      if (body.includes('explode')) throw new Error('a bug that fails every time');
    });
    const dlq = await new TopicCollector(h.kafka, [h.topic('events.dlq')]).start();
    const first = randomUUID();
    const next = randomUUID();
    const last = randomUUID();
    await producer.send({
      topic: h.topic('events'),
      acks: -1,
      messages: [
        { key: 'a', value: h.envelope('t', { n: 1 }, first) },
        { key: 'a', value: h.envelope('t', { n: 1 }, first) }, // redelivery of the same event
        { key: 'a', value: '{"not json' }, // poison: bad JSON
        { key: 'a', value: JSON.stringify({ id: 'not-a-uuid', type: 't' }) }, // poison: schema
        { key: 'a', value: h.envelope('t', { n: 2 }, next) },
        { key: 'a', value: h.envelope('t', { n: 3 }, last) },
      ],
    });
    await pollUntil(
      () => handledCount(last),
      (n) => n === 1,
      { what: 'the message after the poison' },
    );
    expect(await handledCount(first)).toBe(1);
    expect(await handledCount(next)).toBe(1);
    expect(calls.filter((id) => id === first)).toHaveLength(1);

    await pollUntil(
      () => dlq.messages.length,
      (n) => n === 2,
      { what: 'two dead letters' },
    );
    expect(dlq.messages.map((m) => m.headers['dlq-error-code'])).toEqual(['BAD_JSON', 'SCHEMA_VIOLATION']);
    expect(dlq.messages[0].value).toBe('{"not json');
    expect(dlq.messages[0].headers['dlq-original-topic']).toBe(h.topic('events'));
    await dlq.stop();
  });

  it('does not commit the offset while the handler transaction fails, and commits once it succeeds', async () => {
    let outage = true;
    let attempts = 0;
    await startRunner('flaky', async () => {
      attempts++;
      if (outage) throw new AppError('STORE_DOWN', 'unavailable', 'simulated outage');
    });
    const admin = h.admin;
    const group = `${h.prefix}group-flaky`;
    const committedOffset = async () => {
      const [topic] = await admin.fetchOffsets({ groupId: group, topics: [h.topic('flaky')] });
      return Number(topic.partitions[0].offset);
    };
    const ok = randomUUID();
    const blocked = randomUUID();
    await producer.send({
      topic: h.topic('flaky'),
      acks: -1,
      messages: [{ key: 'k', value: h.envelope('t', {}, ok) }],
    });
    await pollUntil(
      () => attempts,
      (n) => n >= 3,
      { what: 'several failed attempts' },
    );
    // The handler wrote its row then failed: the transaction rolled back, nothing is visible, nothing committed.
    expect(await handledCount(ok)).toBe(0);
    expect(await committedOffset()).toBeLessThan(1);

    await new Promise((r) => setTimeout(r, 1_500));
    expect(await committedOffset()).toBeLessThan(1); // an outage never gives up to the DLQ

    outage = false;
    await producer.send({
      topic: h.topic('flaky'),
      acks: -1,
      messages: [{ key: 'k', value: h.envelope('t', {}, blocked) }],
    });
    await pollUntil(
      () => handledCount(blocked),
      (n) => n === 1,
      { what: 'recovery' },
    );
    expect(await handledCount(ok)).toBe(1);
    await pollUntil(committedOffset, (n) => n === 2, { what: 'offset committed after recovery' });
  });

  it('gives a failing message a few attempts, then dead-letters it and moves on', async () => {
    const dlq = await new TopicCollector(h.kafka, [h.topic('events.dlq')]).start();
    await pollUntil(
      () => dlq.messages.length,
      (n) => n >= 2,
      { what: 'earlier dead letters' },
    );
    const before = dlq.messages.length;
    const exploding = randomUUID();
    const duplicateRow = randomUUID();
    const after = randomUUID();
    // A row the handler will collide with: a constraint violation is poison, no retry.
    await h.dataSource.query('INSERT INTO handled (event_id, body) VALUES ($1, $2)', [
      duplicateRow,
      'pre-existing',
    ]);
    await producer.send({
      topic: h.topic('events'),
      acks: -1,
      messages: [
        { key: 'a', value: h.envelope('t', { explode: true }, exploding) },
        { key: 'a', value: h.envelope('t', { n: 9 }, duplicateRow) },
        { key: 'a', value: h.envelope('t', { n: 10 }, after) },
      ],
    });
    await pollUntil(
      () => handledCount(after),
      (n) => n === 1,
      { what: 'the message after the failing ones' },
    );
    await pollUntil(
      () => dlq.messages.length,
      (n) => n === before + 2,
      { what: 'two more dead letters' },
    );
    const [retried, poison] = dlq.messages.slice(before);
    expect(retried.headers['dlq-error-code']).toBe('RETRIES_EXHAUSTED');
    expect(retried.headers['dlq-attempts']).toBe('3');
    expect(retried.headers['dlq-error-message']).toContain('a bug that fails every time');
    expect(poison.headers['dlq-error-code']).toBe('ERR_23505');
    expect(poison.headers['dlq-attempts']).toBe('1');
    await dlq.stop();
  });
});
