import {
  deadLetterIdOf,
  deadLetterWindowRef,
  readDeadLetter,
  windowOfRef,
  windowStartOf,
} from './dead-letter.model';

/** Headers as libs/messaging's dead-letter publisher writes them. */
const published = (over: Record<string, string> = {}): Record<string, string> => ({
  'event-id': '7d4f8a52-8a1d-4c47-9a57-2f1d2f7c0e11',
  'event-type': 'invoice.issued',
  'dlq-original-topic': 'invoice.events.v1',
  'dlq-original-partition': '3',
  'dlq-original-offset': '1042',
  'dlq-consumer-group': 'sync',
  'dlq-error-code': 'SCHEMA_VIOLATION',
  'dlq-error-message': 'the data does not match invoice.issued v1',
  'dlq-attempts': '1',
  'dlq-failed-at': '2026-03-10T02:00:01.000Z',
  ...over,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('dead-letter arrivals', () => {
  it('reads the topic, the error code and message, the message id and where it came from', () => {
    expect(readDeadLetter('invoice.events.v1.dlq', published(), Buffer.from('{'))).toEqual({
      id: expect.stringMatching(UUID),
      dlqTopic: 'invoice.events.v1.dlq',
      sourceTopic: 'invoice.events.v1',
      sourcePartition: 3,
      sourceOffset: '1042',
      consumerGroup: 'sync',
      errorCode: 'SCHEMA_VIOLATION',
      errorMessage: 'the data does not match invoice.issued v1',
      eventId: '7d4f8a52-8a1d-4c47-9a57-2f1d2f7c0e11',
      eventType: 'invoice.issued',
      failedAt: new Date('2026-03-10T02:00:01.000Z'),
    });
  });

  it('reads whatever a stranger wrote without throwing', () => {
    const partial = readDeadLetter(
      'sync.results.v1.dlq',
      { 'dlq-original-topic': 'sync.results.v1', 'dlq-original-offset': '7' },
      Buffer.from(JSON.stringify({ id: 'abc' })),
    );
    expect(partial).toMatchObject({ sourceTopic: 'sync.results.v1', sourceOffset: '7', eventId: 'abc' });
    expect(partial.errorCode).toBe('UNKNOWN');
    const junk = readDeadLetter(
      'device.events.v1.dlq',
      { 'dlq-original-partition': 'x', 'dlq-failed-at': 'soon' },
      null,
    );
    expect(junk).toMatchObject({
      sourcePartition: null,
      failedAt: null,
      eventId: null,
      errorCode: 'UNKNOWN',
    });
  });

  it('is the same arrival when the same message is dead-lettered again, a different one otherwise', () => {
    const id = deadLetterIdOf('invoice.events.v1.dlq', published(), null);
    expect(
      deadLetterIdOf('invoice.events.v1.dlq', published({ 'dlq-failed-at': 'later' }), Buffer.from('x')),
    ).toBe(id);
    expect(
      deadLetterIdOf('invoice.events.v1.dlq', published({ 'dlq-original-offset': '1043' }), null),
    ).not.toBe(id);
    expect(
      deadLetterIdOf('invoice.events.v1.dlq', published({ 'dlq-consumer-group': 'reconcile' }), null),
    ).not.toBe(id);
    const bare = (value: string) =>
      deadLetterIdOf('x.dlq', { 'dlq-error-code': 'BAD_JSON' }, Buffer.from(value));
    expect(bare('a')).toBe(bare('a'));
    expect(bare('a')).not.toBe(bare('b'));
  });

  it('counts arrivals in epoch-aligned windows named in the delivery log', () => {
    const start = windowStartOf(new Date('2026-03-10T02:07:59Z'), 10 * 60_000);
    expect(start.toISOString()).toBe('2026-03-10T02:00:00.000Z');
    expect(deadLetterWindowRef(start)).toBe('dlq@2026-03-10T02:00:00.000Z');
    expect(windowOfRef(deadLetterWindowRef(start))).toEqual(start);
    expect(windowOfRef('F-1')).toBeNull();
    expect(windowOfRef(null)).toBeNull();
  });
});
