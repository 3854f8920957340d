import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryRows } from '@lib/persistence';
import { keyKind } from './idempotency.repository';

/** One invoice item to record: its eventId (lower-case) and content, in request order. */
export interface InvoiceClaim {
  eventId: string;
  eventType: string;
  hash: Buffer;
  invoiceKey: string;
  kind: string;
}

export interface InvoiceClaimOutcome {
  /** EventIds recorded now whose content was new for their invoice key (and kind): to be accepted. */
  accepted: Set<string>;
  /** EventIds recorded now whose content was already accepted under another eventId: duplicates. */
  sameContent: Set<string>;
  /** EventIds recorded before, with the content hash stored then. */
  taken: Map<string, Buffer>;
}

interface Row {
  what: 'claimed' | 'added' | 'taken';
  event_id: string;
  content_hash: Buffer | null;
}

/**
 * Records a batch of invoice items in one statement (data-modifying CTEs over unnest arrays sent once): the eventId
 * claims, the key-level content records for freshly claimed ids, and the ids that were there before. The primary keys
 * decide every race, without any lock: a concurrent insert of the same eventId, or of the same content for the same
 * key, waits for the other transaction and then conflicts. EventIds are claimed in sorted order and contents inserted
 * in (key, kind, content) order, so two requests sharing several of either never deadlock on them.
 *
 * Whether a key already had another content (the DUPLICATE_INVOICE_KEY warning) is asked afterwards, by `knownKeys`,
 * once the caller holds the keys' locks: see IngestInvoicesUseCase.
 */
@Injectable()
export class InvoiceClaimsRepository {
  async claim(
    manager: EntityManager,
    deviceId: string,
    receivedAt: Date,
    claims: InvoiceClaim[],
  ): Promise<InvoiceClaimOutcome> {
    const rows = await queryRows<Row>(
      manager,
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::text[], $5::text[]) WITH ORDINALITY
           AS t(event_id, event_type, content_hash, invoice_key, kind, n)),
       claimed AS (
         INSERT INTO ingested_events (event_id, event_type, device_id, content_hash, invoice_key, received_at)
         SELECT event_id, event_type, $6, content_hash, invoice_key, $7 FROM input ORDER BY event_id
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id),
       added AS (
         INSERT INTO invoice_contents (invoice_key, kind, content_hash, event_id, accepted_at)
         SELECT i.invoice_key, i.kind, i.content_hash, i.event_id, $7 FROM input i JOIN claimed USING (event_id)
          ORDER BY i.invoice_key, i.kind, i.content_hash, i.n
         ON CONFLICT (invoice_key, kind, content_hash) DO NOTHING
         RETURNING event_id)
       SELECT 'claimed' AS what, event_id::text AS event_id, NULL::bytea AS content_hash FROM claimed
       UNION ALL SELECT 'added', event_id::text, NULL FROM added
       UNION ALL SELECT 'taken', e.event_id::text, e.content_hash
         FROM ingested_events e JOIN input i USING (event_id)`,
      [
        claims.map((c) => c.eventId),
        claims.map((c) => c.eventType),
        claims.map((c) => c.hash),
        claims.map((c) => c.invoiceKey),
        claims.map((c) => c.kind),
        deviceId,
        receivedAt,
      ],
    );
    const outcome: InvoiceClaimOutcome = {
      accepted: new Set(),
      sameContent: new Set(),
      taken: new Map(),
    };
    const claimed = new Set<string>();
    for (const row of rows) {
      if (row.what === 'claimed') claimed.add(row.event_id);
      else if (row.what === 'added') outcome.accepted.add(row.event_id);
      else outcome.taken.set(row.event_id, row.content_hash as Buffer);
    }
    // 'taken' read the snapshot from before this statement: it cannot show our own claims, nor a claim committed by
    // a concurrent transaction this statement waited for. Those few are read again, in a new snapshot.
    for (const id of claimed) if (!outcome.accepted.has(id)) outcome.sameContent.add(id);
    const undecided = claims
      .filter((c) => !claimed.has(c.eventId) && !outcome.taken.has(c.eventId))
      .map((c) => c.eventId);
    if (undecided.length > 0) {
      const late = await queryRows<{ event_id: string; content_hash: Buffer }>(
        manager,
        'SELECT event_id::text AS event_id, content_hash FROM ingested_events WHERE event_id = ANY($1::uuid[])',
        [undecided],
      );
      for (const row of late) outcome.taken.set(row.event_id, row.content_hash);
    }
    return outcome;
  }

  /**
   * The (key, kind) pairs of `claims` that have an accepted content other than the ones this request just added
   * (`ownEventIds`: its accepted eventIds), as `keyKind` strings. Asked after the claims, while holding the keys'
   * locks: every other writer of these keys has then committed or rolled back, and this statement, with its own
   * snapshot, sees what they committed.
   */
  async knownKeys(
    manager: EntityManager,
    claims: Pick<InvoiceClaim, 'invoiceKey' | 'kind'>[],
    ownEventIds: Iterable<string>,
  ): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const rows = await queryRows<{ invoice_key: string; kind: string }>(
      manager,
      `SELECT DISTINCT c.invoice_key, c.kind
         FROM invoice_contents c JOIN unnest($1::text[], $2::text[]) AS i(invoice_key, kind) USING (invoice_key, kind)
        WHERE c.event_id <> ALL($3::uuid[])`,
      [claims.map((c) => c.invoiceKey), claims.map((c) => c.kind), [...ownEventIds]],
    );
    return new Set(rows.map((r) => keyKind(r.invoice_key, r.kind)));
  }
}
