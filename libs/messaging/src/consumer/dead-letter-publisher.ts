import type { KafkaMessage, Producer } from 'kafkajs';

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
 * committed only after the DLQ has it.
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
    messages: [
      {
        key: original.key,
        value: original.value,
        headers: {
          ...original.headers,
          'dlq-original-topic': letter.topic,
          'dlq-original-partition': String(letter.partition),
          'dlq-original-offset': original.offset,
          'dlq-consumer-group': letter.consumerGroup,
          'dlq-error-code': letter.code,
          'dlq-error-message': letter.reason.slice(0, 2_000),
          'dlq-attempts': String(letter.attempts),
          'dlq-failed-at': new Date().toISOString(),
        },
      },
    ],
  });
}
