import type { RecordMetadata } from 'kafkajs';
import { unwrittenPartitions } from './send-coverage';

const answer = (topicName: string, partition: number): RecordMetadata => ({
  topicName,
  partition,
  errorCode: 0,
  baseOffset: '0',
});

describe('unwrittenPartitions', () => {
  const sent = [
    {
      topic: 'orders',
      messages: [
        { key: 'a', value: '1', partition: 0 },
        { key: 'b', value: '2', partition: 1 },
      ],
    },
    { topic: 'progress', messages: [{ key: 'r', value: 'm', partition: 0 }] },
  ];

  it('is empty when every partition a message was placed on was answered for', () => {
    expect(
      unwrittenPartitions(sent, [answer('orders', 0), answer('orders', 1), answer('progress', 0)]),
    ).toEqual([]);
  });

  it('names a partition no node answered for (a leader that died while its request was in flight)', () => {
    expect(unwrittenPartitions(sent, [answer('orders', 0), answer('progress', 0)])).toEqual(['orders:1']);
  });

  it('tells partitions of different topics apart', () => {
    expect(unwrittenPartitions(sent, [answer('orders', 0), answer('orders', 1), answer('other', 0)])).toEqual(
      ['progress:0'],
    );
  });

  it('reports a message without a partition, which cannot be checked', () => {
    const unplaced = [{ topic: 'orders', messages: [{ key: 'a', value: '1' }] }];
    expect(unwrittenPartitions(unplaced, [answer('orders', 0)])).toEqual(['orders:unplaced']);
  });
});
