import type { Message } from 'kafkajs';

/** One outbox row as the relay reads it (ids as text: they are bigints). */
export interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  event_id: string;
  event_type: string;
  headers: Record<string, string>;
  payload: string;
  created_at: Date;
}

/** The Kafka message of a row: its key and payload, its own headers plus the event's id and type and the row id. */
export function toKafkaMessage(row: OutboxRow): Message {
  return {
    key: row.message_key,
    value: row.payload,
    headers: {
      ...row.headers,
      'event-id': row.event_id,
      'event-type': row.event_type,
      'outbox-id': row.id,
    },
  };
}
