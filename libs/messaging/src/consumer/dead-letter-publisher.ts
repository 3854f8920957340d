import { CompressionTypes, KafkaMessage, Producer } from 'kafkajs';
import { DLQ_HEADERS } from '@lib/contracts';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  code: string;
  reason: string;
  attempts: number;
}

/**
 * Sends a message that can never be processed to `<topic>.dlq`: the original key, value and headers,
 * plus headers saying where it came from and why it failed. acks=all: the offset of the original is
 * committed only after the DLQ has it. Gzip, like the outbox relay: the original already took most of what one
 * record batch may hold (the DLQ topic has the same max.message.bytes), and these headers add up to 2 KB to it.
 */
export async function publishDeadLetter(
  producer: Producer,
  letter: DeadLetter,
  dlqTopic: string,
): Promise<void> {
  const original = letter.message;
  await producer.send({
    topic: dlqTopic,
    acks: -1,
    compression: CompressionTypes.GZIP,
    messages: [
      {
        key: original.key,
        value: original.value,
        headers: {
          ...original.headers,
          [DLQ_HEADERS.sourceTopic]: letter.topic,
          [DLQ_HEADERS.sourcePartition]: String(letter.partition),
          [DLQ_HEADERS.sourceOffset]: original.offset,
          [DLQ_HEADERS.consumerGroup]: letter.consumerGroup,
          [DLQ_HEADERS.errorCode]: letter.code,
          [DLQ_HEADERS.errorMessage]: letter.reason.slice(0, 2_000),
          [DLQ_HEADERS.attempts]: String(letter.attempts),
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ],
  });
}
