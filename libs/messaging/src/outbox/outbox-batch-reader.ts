import { QueryRunner } from 'typeorm';
import { OutboxRow } from './outbox-row';

export interface OutboxBatch {
  /** In id order. */
  rows: OutboxRow[];
  /** Whether more rows may be waiting: the read stopped at its row count or its byte budget. */
  more: boolean;
}

/**
 * Locks the next rows of the outbox, at most `batchSize`, and reads those that start within `batchBytes` of payload
 * (always at least one), inside the runner's open transaction: a run of large rows then never brings `batchSize` of
 * them into memory at once. octet_length reads a value's stored size, not the value.
 */
export async function readOutboxBatch(
  runner: QueryRunner,
  batchSize: number,
  batchBytes: number,
): Promise<OutboxBatch> {
  // ORDER BY the columns, not the text alias `id` (which would sort "1010" before "175").
  const rows = (await runner.query(
    `WITH locked AS (
       SELECT id, octet_length(payload) AS bytes FROM outbox ORDER BY outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED
     ), budget AS (
       SELECT id, sum(bytes) OVER (ORDER BY id) - bytes AS before, count(*) OVER () AS locked FROM locked
     )
     SELECT o.id::text AS id, o.topic, o.message_key, o.event_id::text AS event_id, o.event_type, o.headers,
            o.payload, o.created_at, b.locked::int AS locked
       FROM budget b JOIN outbox o ON o.id = b.id
      WHERE b.before < $2
      ORDER BY o.id`,
    [batchSize, batchBytes],
  )) as (OutboxRow & { locked: number })[];
  const locked = rows[0]?.locked ?? 0;
  return { rows, more: locked === batchSize || rows.length < locked };
}
