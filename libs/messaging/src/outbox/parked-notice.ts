import type { TopicMessages } from 'kafkajs';
import { DLQ_HEADERS, HEADER_EVENT_ID, HEADER_EVENT_TYPE } from '@lib/contracts';
import type { OutboxRow } from './outbox-row';

/** Headers of a parked-row notice besides the dead-letter ones: which outbox row, and where it now is. */
export const PARKED_HEADERS = {
  outboxId: 'outbox-id',
  parkedIn: 'outbox-parked-in',
} as const;

export interface ParkedNotice {
  row: OutboxRow;
  /** Bytes of the row's message before compression. */
  bytes: number;
  /** The broker's answer (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE). */
  errorType: string;
  reason: string;
  /** `schema.outbox_parked`. */
  parkedIn: string;
  at: Date;
}

/**
 * The record that tells `<topic>.dlq` about a parked row: metadata only (the payload is what did not fit), in the
 * dead-letter publisher's header style so that the notifier's digest lists it like any dead letter. There is no
 * source partition, offset or consumer group: the message never reached Kafka. Keyed like the message it stands for.
 */
export function parkedNotice(notice: ParkedNotice): TopicMessages {
  const { row } = notice;
  const failedAt = notice.at.toISOString();
  return {
    topic: `${row.topic}.dlq`,
    messages: [
      {
        key: row.message_key,
        value: JSON.stringify({
          outboxId: row.id,
          eventId: row.event_id,
          eventType: row.event_type,
          key: row.message_key,
          topic: row.topic,
          bytes: notice.bytes,
          errorCode: notice.errorType,
          reason: notice.reason,
          parkedIn: notice.parkedIn,
          parkedAt: failedAt,
        }),
        headers: {
          [HEADER_EVENT_ID]: row.event_id,
          [HEADER_EVENT_TYPE]: row.event_type,
          [DLQ_HEADERS.sourceTopic]: row.topic,
          [DLQ_HEADERS.errorCode]: notice.errorType,
          [DLQ_HEADERS.errorMessage]: notice.reason.slice(0, 2_000),
          [DLQ_HEADERS.failedAt]: failedAt,
          [PARKED_HEADERS.outboxId]: row.id,
          [PARKED_HEADERS.parkedIn]: notice.parkedIn,
        },
      },
    ],
  };
}
