import { EntityManager } from 'typeorm';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';
import { OutboxMessage } from './outbox-message';

/**
 * Namespace of per-key advisory locks (`pg_advisory_xact_lock(OUTBOX_KEY_LOCK_CLASS, hashtext(key))`).
 * enqueueOutbox no longer takes these (see OUTBOX_BUCKET_LOCK_CLASS); the class stays reserved for callers that
 * serialise their own work per key, so that their locks never collide with another namespace.
 */
export const OUTBOX_KEY_LOCK_CLASS = ADVISORY_LOCK_CLASSES.outboxKey;

/** Namespace of the advisory locks enqueueOutbox takes: one per (outbox table, key bucket). */
export const OUTBOX_BUCKET_LOCK_CLASS = ADVISORY_LOCK_CLASSES.outboxBucket;

/**
 * Number of key buckets per outbox table, hence the most lock-table entries one transaction's outbox writes use,
 * whatever the number of keys (half of PostgreSQL's default max_locks_per_transaction, 64).
 *
 * Every writer of one outbox table must use the same value (a key must map to the same bucket in every process):
 * changing it needs a deployment in which no old and new writers run at the same time.
 */
export const OUTBOX_LOCK_BUCKETS = 32; // a power of two: the bucket is hashtext(key) & (OUTBOX_LOCK_BUCKETS - 1)

/** Object ids per table: (table oid mod TABLE_SLOTS) × buckets + bucket stays within a positive int4. */
const TABLE_SLOTS = 2 ** 31 / OUTBOX_LOCK_BUCKETS;

/**
 * Appends messages to the outbox inside the caller's transaction.
 *
 * Ordering per key: the relay publishes in id order, but ids are handed out at insert time, not at commit time, so
 * two concurrent transactions writing the same key could commit in the opposite order of their ids. Before its
 * insert, a writer therefore takes a transaction-scoped advisory lock on the bucket of each of its keys
 * (`hashtext(key)` mod OUTBOX_LOCK_BUCKETS, per outbox table): same key, same bucket, so a second writer of a key
 * takes its ids only after the first one committed or rolled back, and ids follow commit order per key.
 *
 * Bounded: a transaction holds at most OUTBOX_LOCK_BUCKETS of these locks, however many keys it writes, so large
 * batches cannot exhaust PostgreSQL's shared lock table ("out of shared memory"). The price is false sharing:
 * writers of different keys in the same bucket also wait for each other, until the first one commits.
 *
 * Deadlock freedom: the buckets are locked in ascending order, in one statement. A writer that calls this once, as
 * the last lock-taking step of its transaction (then only commits), waits for buckets only while holding lower
 * buckets, and whoever holds a bucket is itself past all of its other locks: no cycle. Calling it several times in
 * one transaction, or taking locks after it (an UPDATE of a row another writer holds, an insert that collides on a
 * unique key), can deadlock with other writers whose keys share a bucket, even with unrelated keys; PostgreSQL
 * then aborts one of them (40P01, retriable) after deadlock_timeout. So: collect the transaction's messages and
 * enqueue them at the end.
 */
export async function enqueueOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('enqueueOutbox must run inside a transaction');
  }
  await lockOutboxKeys(manager, messages.map((m) => m.key));
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

/**
 * Takes the bucket locks of `keys` (see enqueueOutbox), in ascending order, in one statement: for a writer that
 * inserts into the outbox by other means (an INSERT … SELECT built in SQL) and must hold the same locks first.
 * The locks are re-entrant: an enqueueOutbox of the same keys afterwards does not wait.
 */
export async function lockOutboxKeys(manager: EntityManager, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('lockOutboxKeys must run inside a transaction');
  }
  // `'outbox'::regclass` resolves through the search path exactly like the INSERT: one bucket space per
  // outbox table, so services sharing a database do not wait for each other.
  await manager.query(
    `SELECT pg_advisory_xact_lock($1::int, b)
       FROM (SELECT DISTINCT (('outbox'::regclass)::oid::bigint % $2::bigint * $3::int
                              + (hashtext(k) & ($3::int - 1)))::int AS b
               FROM unnest($4::text[]) AS k
              ORDER BY 1) buckets`,
    [OUTBOX_BUCKET_LOCK_CLASS, TABLE_SLOTS, OUTBOX_LOCK_BUCKETS, [...new Set(keys)]],
  );
}

/**
 * Takes every bucket lock of this outbox table, in ascending order, in one statement: for a writer whose keys are too
 * many to list (an INSERT … SELECT of a run's re-upload commands) and would hold nearly every bucket anyway.
 */
export async function lockAllOutboxBuckets(manager: EntityManager): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('lockAllOutboxBuckets must run inside a transaction');
  }
  await manager.query(
    `SELECT pg_advisory_xact_lock($1::int, (('outbox'::regclass)::oid::bigint % $2::bigint * $3::int + b)::int)
       FROM generate_series(0, $3::int - 1) AS b ORDER BY b`,
    [OUTBOX_BUCKET_LOCK_CLASS, TABLE_SLOTS, OUTBOX_LOCK_BUCKETS],
  );
}
