/** A message to publish, exactly as it will appear in Kafka. */
export interface OutboxMessage {
  topic: string;
  key: string;
  eventId: string;
  eventType: string;
  /** Serialized envelope (JSON text). */
  payload: string;
  headers?: Record<string, string>;
}
