/** Kafka header names every message carries. */
export const HEADER_EVENT_ID = 'event-id';
export const HEADER_EVENT_TYPE = 'event-type';
export const HEADER_TRACEPARENT = 'traceparent';

export const KAFKA_HEADERS = {
  eventId: HEADER_EVENT_ID,
  eventType: HEADER_EVENT_TYPE,
  traceparent: HEADER_TRACEPARENT,
} as const;

/** Extra headers on a dead-lettered message, next to the original ones. */
export const DLQ_HEADERS = {
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
} as const;
