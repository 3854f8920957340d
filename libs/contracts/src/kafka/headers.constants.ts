/** Kafka header names every message carries. */
export const HEADER_EVENT_ID = 'event-id';
export const HEADER_EVENT_TYPE = 'event-type';
export const HEADER_TRACEPARENT = 'traceparent';

export const KAFKA_HEADERS = {
  eventId: HEADER_EVENT_ID,
  eventType: HEADER_EVENT_TYPE,
  traceparent: HEADER_TRACEPARENT,
} as const;

/**
 * Extra headers on a dead-lettered message, next to the original ones: exactly what libs/messaging's
 * `publishDeadLetter` writes (it uses these constants). The source coordinates are spelled `dlq-original-*`.
 */
export const DLQ_HEADERS = {
  /** The topic the message was read from, with the topic prefix. */
  sourceTopic: 'dlq-original-topic',
  sourcePartition: 'dlq-original-partition',
  sourceOffset: 'dlq-original-offset',
  /** The consumer group id that failed it (with the topic prefix, like the topic). */
  consumerGroup: 'dlq-consumer-group',
  errorCode: 'dlq-error-code',
  /** The reason, first 2,000 characters. */
  errorMessage: 'dlq-error-message',
  attempts: 'dlq-attempts',
  /** ISO 8601 time of the dead-lettering. */
  failedAt: 'dlq-failed-at',
} as const;
