import { Controller, INestApplication, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Admin, Producer } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { loadConfig } from '@lib/common';
import { withUsccCheckDigit } from '@lib/domain';
import { buildEnvelope, toKafkaMessage, TOPICS, TopicEnvelope } from '@lib/contracts';
import {
  dropTestScope,
  pollUntil,
  serviceTestEnv,
  testKafka,
  TopicCollector,
  uniqueName,
} from '@lib/testing';
import { bootstrapService, OnTopic, ServiceModule, serviceEnvSchema } from '../src';

jest.setTimeout(120_000);

type Commands = TopicEnvelope<typeof TOPICS.syncCommands>;

/** What the handler was given, and whether its transaction was a live one. */
const seen: { id: string; invoiceKey: string; inTransaction: boolean }[] = [];

@Controller()
class RecordingHandler {
  @OnTopic(TOPICS.syncCommands)
  async onCommand(envelope: Commands, manager: EntityManager): Promise<void> {
    seen.push({
      id: envelope.id,
      invoiceKey: envelope.data.invoiceKey,
      inTransaction: manager.queryRunner?.isTransactionActive ?? false,
    });
  }
}

const reupload = (invoiceKey: string) =>
  buildEnvelope(
    'sync.reupload',
    { invoiceKey, target: 'authority', reason: 'MISSING_IN_AUTHORITY', requestedBy: 'reconcile', attempt: 1 },
    { source: 'reconcile', occurredAt: new Date() },
  );

/**
 * The trusted-decoder invariant, through the real transport: whatever breaks a topic's contract is dead-lettered by
 * the transport's decoder with its reason and never reaches the handler; the handler gets only checked envelopes.
 */
describe('a Kafka handler behind the contract decoder (real PostgreSQL + Kafka)', () => {
  const schema = uniqueName('platform_edge');
  const prefix = `${schema}.`;
  const kafka = testKafka('platform-edge');
  let app: INestApplication;
  let admin: Admin;
  let producer: Producer;
  let dlq: TopicCollector;

  beforeAll(async () => {
    const config = loadConfig(serviceEnvSchema('platform_edge'), {
      ...serviceTestEnv({ schema, prefix, port: 0, partitions: 1 }),
      DOCS_ENABLED: 'false',
    });
    @Module({
      imports: [
        ServiceModule.forRoot({
          service: 'platform-edge',
          config,
          topics: [{ name: TOPICS.syncCommands, withDlq: true }],
        }),
      ],
      controllers: [RecordingHandler],
    })
    class EdgeModule {}
    app = await bootstrapService({
      module: EdgeModule,
      config,
      title: 'platform-edge',
      consumerGroup: 'edge',
    });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    dlq = await new TopicCollector(kafka, [`${prefix}${TOPICS.syncCommands}.dlq`]).start();
  });

  afterAll(async () => {
    await dlq?.stop();
    await producer?.disconnect();
    await app?.close();
    await dropTestScope(admin, prefix, schema);
    await admin?.disconnect();
  });

  it("dead-letters bad JSON, a contract violation and another topic's type; the handler sees only the valid one", async () => {
    const valid = reupload('25442000000123456789');
    const otherTopics = buildEnvelope(
      'sync.result',
      {
        invoiceKey: '25442000000123456789',
        taxNo: withUsccCheckDigit('91440300MA5F8Q2K7'),
        target: 'authority',
        outcome: 'accepted',
        requestId: 'req-1',
        attempts: 1,
        at: new Date().toISOString(),
      },
      { source: 'sync', occurredAt: new Date() },
    );
    // one key, one partition: the valid message comes last, after the three the transport must refuse
    await producer.send({
      topic: `${prefix}${TOPICS.syncCommands}`,
      acks: -1,
      messages: [
        { key: 'k', value: '{"id": ' },
        {
          key: 'k',
          value: JSON.stringify({ ...valid, id: randomUUID(), data: { ...valid.data, invoiceKey: 'nope' } }),
        },
        { key: 'k', value: JSON.stringify(otherTopics) },
        { ...toKafkaMessage(valid), key: 'k' },
      ],
    });

    await pollUntil(
      () => seen,
      (s) => s.length >= 1,
      { timeoutMs: 60_000, what: 'the valid command handled' },
    );
    const letters = await pollUntil(
      () => dlq.messages,
      (m) => m.length >= 3,
      { what: 'three dead letters' },
    );
    expect(letters.map((m) => m.headers['dlq-error-code'])).toEqual([
      'BAD_JSON',
      'SCHEMA_VIOLATION',
      'UNKNOWN_EVENT_TYPE',
    ]);
    expect(seen).toEqual([{ id: valid.id, invoiceKey: '25442000000123456789', inTransaction: true }]);
  });
});
