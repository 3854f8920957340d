import { EntityManager } from 'typeorm';

export interface InboxEntry {
  consumerGroup: string;
  eventId: string;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Claims a message id for a consumer group inside the caller's transaction. Returns false when the
 * id was already processed (a redelivery): the caller then does nothing and the offset moves on.
 * The row and the handler's writes commit or roll back together.
 */
export async function claimInbox(manager: EntityManager, entry: InboxEntry): Promise<boolean> {
  const rows = (await manager.query(
    `INSERT INTO inbox (consumer_group, event_id, topic, kafka_partition, kafka_offset)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer_group, event_id) DO NOTHING
     RETURNING event_id`,
    [entry.consumerGroup, entry.eventId, entry.topic, entry.partition, entry.offset],
  )) as unknown[];
  return rows.length === 1;
}

/**
 * Deletes at most `limit` inbox rows processed more than `olderThanDays` ago, oldest first, in one short statement
 * (its own transaction when `manager` is not in one), and returns how many it deleted. Rows another pruner is
 * deleting at the same moment are skipped (SKIP LOCKED), so several replicas share the work instead of waiting.
 * The retention must outlast every possible redelivery (see docs/messaging.md, "Inbox retention").
 */
export async function pruneInbox(
  manager: EntityManager,
  olderThanDays: number,
  limit: number,
): Promise<number> {
  const rows = (await manager.query(
    `WITH doomed AS (
       SELECT consumer_group, event_id FROM inbox
        WHERE processed_at < now() - make_interval(days => $1)
        ORDER BY processed_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED),
     gone AS (
       DELETE FROM inbox i USING doomed d
        WHERE i.consumer_group = d.consumer_group AND i.event_id = d.event_id
        RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [olderThanDays, limit],
  )) as { n: number }[];
  return rows[0]?.n ?? 0;
}
