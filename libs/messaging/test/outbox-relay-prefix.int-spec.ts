import { randomUUID } from 'node:crypto';
import { pollUntil, TopicCollector } from '@lib/testing';
import { enqueueOutbox } from '../src/outbox/outbox-writer';
import { OutboxRelay, outboxTransactionalId } from '../src/outbox/outbox-relay';
import { MessagingHarness } from './harness';

jest.setTimeout(120_000);

/**
 * KAFKA_TOPIC_PREFIX isolates the relay's Kafka names too: its transactional id and the consumer groups of its
 * progress reader. Two environments sharing a cluster with the same schema names (hence the same relay id) then no
 * longer fence each other's producers. With an empty prefix, the names are the ones earlier versions used.
 */
describe('outbox relay names under KAFKA_TOPIC_PREFIX (real PostgreSQL + Kafka)', () => {
  const h = new MessagingHarness();
  let collector: TopicCollector;

  beforeAll(async () => {
    await h.start([
      { name: 'orders', partitions: 2 },
      { name: 'outbox.progress', partitions: 1, compact: true },
    ]);
    collector = await new TopicCollector(h.kafka, [h.topic('orders')]).start();
  });

  afterAll(async () => {
    await collector?.stop();
    await h.stop();
  });

  afterEach(() => jest.restoreAllMocks());

  it('derives the transactional id from the prefix and the relay id', () => {
    expect(outboxTransactionalId({ relayId: 'sync.sync' })).toBe('outbox-relay.sync.sync');
    expect(outboxTransactionalId({ relayId: 'sync.sync', kafkaPrefix: '' })).toBe('outbox-relay.sync.sync');
    expect(outboxTransactionalId({ relayId: 'sync.sync', kafkaPrefix: 'staging.' })).toBe(
      'staging.outbox-relay.sync.sync',
    );
  });

  async function publishOnce(kafkaPrefix: string | undefined) {
    const producer = jest.spyOn(h.kafka, 'producer');
    const consumer = jest.spyOn(h.kafka, 'consumer');
    const relayId = h.schema;
    const id = randomUUID();
    await h.dataSource.transaction((m) =>
      enqueueOutbox(m, [
        { topic: h.topic('orders'), key: 'k', eventId: id, eventType: 't', payload: h.envelope('t', {}, id) },
      ]),
    );
    const relay = new OutboxRelay(h.dataSource, h.kafka, {
      relayId,
      progressTopic: h.topic('outbox.progress'),
      kafkaPrefix,
      idleDelayMs: 20,
    });
    relay.start();
    try {
      await pollUntil(
        () => collector.messages.filter((m) => m.headers['event-id'] === id).length,
        (n) => n === 1,
        { what: 'the row published' },
      );
    } finally {
      await relay.stop();
    }
    return {
      transactionalIds: producer.mock.calls.map(([config]) => config?.transactionalId),
      groupIds: consumer.mock.calls.map(([config]) => config.groupId),
    };
  }

  it('prefixes the transactional id and the progress reader’s groups', async () => {
    const { transactionalIds, groupIds } = await publishOnce(h.prefix);
    expect(transactionalIds).toEqual([`${h.prefix}outbox-relay.${h.schema}`]);
    expect(groupIds).toHaveLength(1);
    expect(groupIds[0]).toMatch(
      new RegExp(`^${escape(h.prefix)}outbox-progress-reader\\.${h.schema}\\.[0-9a-f-]{36}$`),
    );
  });

  it('keeps the names of earlier versions when there is no prefix', async () => {
    const { transactionalIds, groupIds } = await publishOnce(undefined);
    expect(transactionalIds).toEqual([`outbox-relay.${h.schema}`]);
    expect(groupIds[0]).toMatch(new RegExp(`^outbox-progress-reader\\.${h.schema}\\.`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
