import { EntityManager } from 'typeorm';

/** A row the relay parked: its outbox id and why. Carried in the progress marker of the send that reported it. */
export interface ParkedMark {
  id: string;
  reason: string;
}

/**
 * The outbox_parked table (CreateOutboxParked): rows Kafka refused even alone and compressed, moved out of the way of
 * the rows behind them. Parking copies the row; the relay deletes it from the outbox with the rows it published.
 */
export class OutboxParking {
  private location?: string;

  /**
   * Copies the rows into outbox_parked within the caller's transaction. Idempotent: a row already parked, or no longer
   * in the outbox, is skipped, so parking again what a committed marker names (after a crash) is safe.
   */
  async park(manager: EntityManager, marks: ParkedMark[]): Promise<void> {
    if (marks.length === 0) return;
    await manager.query(
      `INSERT INTO outbox_parked (outbox_id, topic, message_key, event_id, event_type, headers, payload, created_at, reason)
       SELECT o.id, o.topic, o.message_key, o.event_id, o.event_type, o.headers, o.payload, o.created_at, m.reason
         FROM unnest($1::bigint[], $2::text[]) AS m(id, reason)
         JOIN outbox o ON o.id = m.id
       ON CONFLICT (outbox_id) DO NOTHING`,
      [marks.map((m) => m.id), marks.map((m) => m.reason)],
    );
  }

  /** `schema.outbox_parked`, as the search path resolves it: where a person finds a parked row. */
  async where(manager: EntityManager): Promise<string> {
    if (this.location) return this.location;
    const [{ location }] = (await manager.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS location
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = 'outbox_parked'::regclass`,
    )) as { location: string }[];
    this.location = location;
    return location;
  }
}
