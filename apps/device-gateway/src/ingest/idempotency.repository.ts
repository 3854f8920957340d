import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OUTBOX_KEY_LOCK_CLASS } from '@lib/messaging';
import { queryRows } from '@lib/persistence';

/** One client eventId (lower-case, as PostgreSQL prints a uuid) to record as answered. */
export interface EventClaim {
  eventId: string;
  eventType: string;
  deviceId: string;
  hash: Buffer;
  invoiceKey: string | null;
  receivedAt: Date;
}

/**
 * The idempotency record, written in the caller's transaction with set-based statements (unnest arrays), never row
 * by row. Race-safety comes from the primary keys: a concurrent insert of the same eventId waits for the other
 * transaction and then conflicts, so exactly one of them accepts. (Invoice batches use InvoiceClaimsRepository,
 * which does the same for many items and their invoice keys in one statement.)
 */
@Injectable()
export class IdempotencyRepository {
  /**
   * Serialises writers of the same invoice keys for the rest of the transaction, so that the key-level duplicate
   * check cannot race. Same lock class and hashing as the outbox writer: its own per-key locks are then re-entries of
   * these, not new lock-table entries. Taken in sorted order, so writers never deadlock on them.
   */
  async lockInvoiceKeys(manager: EntityManager, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(
      `SELECT pg_advisory_xact_lock($1::int, h)
         FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) locks`,
      [OUTBOX_KEY_LOCK_CLASS, keys],
    );
  }

  /**
   * Records the claims and returns, for each eventId that was already recorded, the content hash stored with it.
   * Claims go in eventId order so that two requests sharing several eventIds lock them in the same order (no deadlock).
   */
  async claimEvents(manager: EntityManager, claims: EventClaim[]): Promise<Map<string, Buffer>> {
    if (claims.length === 0) return new Map();
    const sorted = [...claims].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const inserted = await queryRows<{ event_id: string }>(
      manager,
      `INSERT INTO ingested_events (event_id, event_type, device_id, content_hash, invoice_key, received_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::timestamptz[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id::text AS event_id`,
      [
        sorted.map((c) => c.eventId),
        sorted.map((c) => c.eventType),
        sorted.map((c) => c.deviceId),
        sorted.map((c) => c.hash),
        sorted.map((c) => c.invoiceKey),
        sorted.map((c) => c.receivedAt),
      ],
    );
    if (inserted.length === claims.length) return new Map();
    const fresh = new Set(inserted.map((r) => r.event_id));
    const taken = sorted.filter((c) => !fresh.has(c.eventId)).map((c) => c.eventId);
    // A separate statement: it sees rows committed by the transaction the insert waited for.
    const existing = await queryRows<{ event_id: string; content_hash: Buffer }>(
      manager,
      'SELECT event_id::text AS event_id, content_hash FROM ingested_events WHERE event_id = ANY($1::uuid[])',
      [taken],
    );
    return new Map(existing.map((r) => [r.event_id, r.content_hash]));
  }
}

export function keyKind(invoiceKey: string, kind: string): string {
  return `${invoiceKey}|${kind}`;
}
