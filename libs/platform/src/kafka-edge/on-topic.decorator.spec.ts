import { Controller, INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import { EntityManager } from 'typeorm';
import { isAppError } from '@lib/common';
import { withUsccCheckDigit } from '@lib/domain';
import { buildEnvelope, TOPICS, TopicEnvelope } from '@lib/contracts';
import { EnvelopeLike, KafkaInboxServer, RethrowRpcFilter } from '@lib/messaging';
import { contractDecoder } from './contract-decoder';
import { OnTopic } from './on-topic.decorator';

type Commands = TopicEnvelope<typeof TOPICS.syncCommands>;

/** Records what each handler was given; one handler per topic, as in the apps. */
@Controller()
class RecordingHandlers {
  readonly seen: { envelope: Commands; manager: EntityManager }[] = [];

  @OnTopic(TOPICS.syncCommands)
  async onCommand(envelope: Commands, manager: EntityManager): Promise<void> {
    this.seen.push({ envelope, manager });
  }
}

// The decorator only compiles on a method of its own topic's shape (checked by `tsc`, which includes the specs).
class WrongTopic {
  // @ts-expect-error a device.events.v1 handler cannot take sync.commands.v1 envelopes
  @OnTopic(TOPICS.deviceEvents)
  async onCommand(_envelope: Commands, _manager: EntityManager): Promise<void> {}
}
void WrongTopic;

/** The real transport's dispatch (context, handler lookup, error path) without Kafka: messages are handed in. */
class HandedInServer extends KafkaInboxServer {
  constructor() {
    super(null as never, null as never, { groupId: 'edge-spec', inboxPruner: false });
  }

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    callback();
  }

  deliver(topic: string, envelope: EnvelopeLike, manager: EntityManager): Promise<void> {
    const message = { topic, partition: 0, offset: '0', key: null, headers: {}, envelope };
    return this['dispatch'](topic, message, manager);
  }
}

const SELLER = withUsccCheckDigit('91440300MA5F8Q2K7');
const decode = contractDecoder((physical) => physical);
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const reupload = buildEnvelope(
  'sync.reupload',
  {
    invoiceKey: '25442000000123456789',
    target: 'authority',
    reason: 'MISSING_IN_AUTHORITY',
    requestedBy: 'reconcile',
    attempt: 1,
  },
  { source: 'reconcile', occurredAt: '2025-03-14T09:00:00+08:00' },
);

/** What the transport hands on for these bytes on this topic: the decoder's envelope, which must be accepted. */
function decoded(topic: string, value: unknown) {
  const result = decode(topic, bytes(value), {});
  if (!result.ok) throw new Error(`expected ${topic} to accept the message: ${result.message}`);
  return result.envelope;
}

describe('@OnTopic: a handler receives the checked envelope of its topic and its transaction', () => {
  let app: INestMicroservice;
  let server: HandedInServer;
  let handlers: RecordingHandlers;
  const manager = { transaction: 'the inbox one' } as unknown as EntityManager;

  beforeEach(async () => {
    const module = await Test.createTestingModule({ controllers: [RecordingHandlers] }).compile();
    server = new HandedInServer();
    app = module.createNestMicroservice({ strategy: server });
    app.useGlobalFilters(new RethrowRpcFilter());
    await app.listen();
    handlers = app.get(RecordingHandlers);
  });
  afterEach(() => app.close());

  it("hands over the contract decoder's envelope, typed, with the transaction of the message", async () => {
    const envelope = decoded(TOPICS.syncCommands, reupload);
    await server.deliver(TOPICS.syncCommands, envelope, manager);
    expect(handlers.seen).toHaveLength(1);
    expect(handlers.seen[0].envelope).toBe(envelope);
    expect(handlers.seen[0].envelope).toEqual(reupload);
    expect(handlers.seen[0].envelope.data.target).toBe('authority');
    expect(handlers.seen[0].manager).toBe(manager);
  });

  it('refuses an envelope the contract decoder did not check, before the handler', async () => {
    // the same well-formed data, but not from the decoder (as with a transport wired to another decoder)
    const refused = await server
      .deliver(TOPICS.syncCommands, { ...reupload }, manager)
      .catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('UNCHECKED_ENVELOPE');
    expect(handlers.seen).toHaveLength(0);
  });

  it("refuses an envelope checked against another topic's contract", async () => {
    const result = buildEnvelope(
      'sync.result',
      {
        invoiceKey: reupload.data.invoiceKey,
        taxNo: SELLER,
        target: 'authority',
        outcome: 'accepted',
        requestId: 'req-1',
        attempts: 1,
        at: '2025-03-14T09:00:00+08:00',
      },
      { source: 'sync', occurredAt: '2025-03-14T09:00:00+08:00' },
    );
    const refused = await server
      .deliver(TOPICS.syncCommands, decoded(TOPICS.syncResults, result), manager)
      .catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('UNCHECKED_ENVELOPE');
    expect(handlers.seen).toHaveLength(0);
  });
});

describe('contractDecoder: the one check, whose failures the transport dead-letters', () => {
  it.each([
    ['bad JSON', Buffer.from('{"id": '), 'BAD_JSON'],
    ['no value', null, 'BAD_JSON'],
    [
      'data that breaks the contract',
      bytes({ ...reupload, data: { invoiceKey: 'nope' } }),
      'SCHEMA_VIOLATION',
    ],
    ['a type of another topic', bytes({ ...reupload, type: 'device.report' }), 'UNKNOWN_EVENT_TYPE'],
  ])('refuses %s with its code', (_, value, code) => {
    expect(decode(TOPICS.syncCommands, value, {})).toMatchObject({ ok: false, code });
  });

  it('refuses a topic without a contract', () => {
    expect(decode('nobody.v1', bytes(reupload), {})).toMatchObject({ ok: false, code: 'UNKNOWN_TOPIC' });
  });
});

describe('a handler on another transport', () => {
  it('is refused: the manager exists only in the inbox transaction', async () => {
    const module = await Test.createTestingModule({ controllers: [RecordingHandlers] }).compile();
    const server = new HandedInServer();
    const app = module.createNestMicroservice({ strategy: server });
    app.useGlobalFilters(new RethrowRpcFilter());
    await app.listen();
    const handler = server.getHandlerByPattern(TOPICS.syncCommands);
    const envelope = decoded(TOPICS.syncCommands, reupload);
    // as another transport would call it: the checked envelope, but no KafkaInboxContext
    const outcome = await Promise.resolve(handler?.(envelope, { not: 'a KafkaInboxContext' }))
      .then((result) => lastValueFrom(server.transformToObservable(result), { defaultValue: undefined }))
      .catch((e: unknown) => e);
    expect(outcome).toEqual(new Error('Kafka handlers run on the KafkaInboxServer transport only'));
    expect(app.get(RecordingHandlers).seen).toHaveLength(0);
    await app.close();
  });
});
