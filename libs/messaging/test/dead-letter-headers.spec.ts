import type { Producer, ProducerRecord } from 'kafkajs';
import { DLQ_HEADERS } from '@lib/contracts';
import { publishDeadLetter } from '../src/consumer/dead-letter-publisher';

describe('DLQ_HEADERS', () => {
  it('names the headers the dead-letter publisher writes, and nothing else', async () => {
    const sent: ProducerRecord[] = [];
    const producer = {
      send: async (record: ProducerRecord) => void sent.push(record),
    } as unknown as Producer;
    await publishDeadLetter(
      producer,
      {
        topic: 'p.invoice.events.v1',
        partition: 3,
        message: {
          key: Buffer.from('k'),
          value: Buffer.from('{}'),
          offset: '41',
          headers: { 'event-id': 'e1' },
          timestamp: '0',
          attributes: 0,
        },
        consumerGroup: 'p.sync',
        code: 'BAD_JSON',
        reason: 'x'.repeat(3_000),
        attempts: 1,
      },
      'p.invoice.events.v1.dlq',
    );
    const headers = sent[0].messages[0].headers as Record<string, string>;
    expect(Object.keys(headers).sort()).toEqual(['event-id', ...Object.values(DLQ_HEADERS)].sort());
    expect(headers[DLQ_HEADERS.sourceTopic]).toBe('p.invoice.events.v1');
    expect(headers[DLQ_HEADERS.sourcePartition]).toBe('3');
    expect(headers[DLQ_HEADERS.sourceOffset]).toBe('41');
    expect(headers[DLQ_HEADERS.consumerGroup]).toBe('p.sync');
    expect(headers[DLQ_HEADERS.errorCode]).toBe('BAD_JSON');
    expect(headers[DLQ_HEADERS.errorMessage]).toHaveLength(2_000);
    expect(headers[DLQ_HEADERS.attempts]).toBe('1');
    expect(new Date(headers[DLQ_HEADERS.failedAt]).toISOString()).toBe(headers[DLQ_HEADERS.failedAt]);
  });

  it('keeps the spelling consumers (the notifier) and the runbook rely on', () => {
    expect(DLQ_HEADERS).toEqual({
      sourceTopic: 'dlq-original-topic',
      sourcePartition: 'dlq-original-partition',
      sourceOffset: 'dlq-original-offset',
      consumerGroup: 'dlq-consumer-group',
      errorCode: 'dlq-error-code',
      errorMessage: 'dlq-error-message',
      attempts: 'dlq-attempts',
      failedAt: 'dlq-failed-at',
    });
  });
});
