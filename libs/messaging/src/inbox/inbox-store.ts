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

/** Drops inbox rows older than the retention (redeliveries that old are not expected). */
export async function pruneInbox(manager: EntityManager, olderThanDays: number): Promise<number> {
  const rows = (await manager.query(
    `WITH gone AS (DELETE FROM inbox WHERE processed_at < now() - make_interval(days => $1) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [olderThanDays],
  )) as { n: number }[];
  return rows[0]?.n ?? 0;
}
