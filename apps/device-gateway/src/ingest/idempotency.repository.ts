import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { lockOutboxKeys } from '@lib/messaging';
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
   * check (InvoiceClaimsRepository.knownKeys, asked after this) cannot race. It takes the outbox writer's own bucket
   * locks (enqueueOutbox in @lib/messaging: same class, same buckets of the same outbox table), one per bucket of the
   * keys, in ascending order, in one statement:
   *
   * - bounded: at most OUTBOX_LOCK_BUCKETS lock-table entries per request, whatever its size, so large concurrent
   *   batches cannot exhaust PostgreSQL's shared lock table (no lock budget is needed any more);
   * - same key, same bucket: two writers of one key still wait for each other (writers of different keys in one
   *   bucket do too: false sharing, the price of the bound);
   * - the invoice messages' keys are these invoice keys, so enqueueOutbox at the end of the request only re-enters
   *   locks the transaction already holds: no new entries and no new wait;
   * - deadlock-free when taken after the request's row writes (the claims) and followed only by reads, the outbox
   *   insert and the commit, as IngestInvoicesUseCase does: whoever holds a bucket then waits for nothing but higher
   *   buckets, like every enqueueOutbox caller (see its deadlock note).
   *
   * It is the outbox writer's own lockOutboxKeys, so the two can never drift apart (invoice-key-locks.int-spec.ts
   * checks that enqueueOutbox's locks are re-entries).
   */
  async lockInvoiceKeys(manager: EntityManager, keys: string[]): Promise<void> {
    await lockOutboxKeys(manager, keys);
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
