import { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message';

/** Namespace of the advisory locks that serialise writers of the same message key. */
export const OUTBOX_KEY_LOCK_CLASS = 7_300_001;

/**
 * Appends messages to the outbox inside the caller's transaction.
 *
 * Ordering per key: the relay publishes in id order, but ids are handed out at insert time, not at
 * commit time, so two concurrent transactions writing the same key could commit in the opposite
 * order of their ids. A transaction-scoped advisory lock per key (taken in sorted order, so two
 * writers never deadlock) makes same-key writers take their ids in commit order.
 */
export async function enqueueOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('enqueueOutbox must run inside a transaction');
  }
  const keys = [...new Set(messages.map((m) => m.key))];
  await manager.query(
    `SELECT pg_advisory_xact_lock($1::int, h)
       FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) locks`,
    [OUTBOX_KEY_LOCK_CLASS, keys],
  );
  await manager.query(
    `INSERT INTO outbox (topic, message_key, event_id, event_type, headers, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[])`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.eventId),
      messages.map((m) => m.eventType),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
      messages.map((m) => m.payload),
    ],
  );
}
