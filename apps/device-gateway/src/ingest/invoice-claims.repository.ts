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
  /** (key, kind) pairs that had an accepted content before this request. */
  knownKeys: Set<string>;
}

interface Row {
  what: 'claimed' | 'added' | 'known' | 'taken';
  event_id: string | null;
  content_hash: Buffer | null;
  invoice_key: string | null;
  kind: string | null;
}

/**
 * Records a batch of invoice items in one statement (data-modifying CTEs over unnest arrays sent once): the eventId
 * claims, the key-level content records for freshly claimed ids, and what was there before. The caller holds the
 * invoice keys' advisory locks, so `known` cannot race; eventIds are claimed in sorted order, so two requests sharing
 * several never deadlock; and the primary keys decide every race.
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
       known AS (
         SELECT DISTINCT c.invoice_key, c.kind FROM invoice_contents c JOIN input i USING (invoice_key, kind)),
       added AS (
         INSERT INTO invoice_contents (invoice_key, kind, content_hash, event_id, accepted_at)
         SELECT i.invoice_key, i.kind, i.content_hash, i.event_id, $7 FROM input i JOIN claimed USING (event_id) ORDER BY i.n
         ON CONFLICT (invoice_key, kind, content_hash) DO NOTHING
         RETURNING event_id)
       SELECT 'claimed' AS what, event_id::text AS event_id, NULL::bytea AS content_hash, NULL AS invoice_key, NULL AS kind FROM claimed
       UNION ALL SELECT 'added', event_id::text, NULL, NULL, NULL FROM added
       UNION ALL SELECT 'known', NULL, NULL, invoice_key, kind FROM known
       UNION ALL SELECT 'taken', e.event_id::text, e.content_hash, NULL, NULL
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
      knownKeys: new Set(),
    };
    const claimed = new Set<string>();
    for (const row of rows) {
      if (row.what === 'claimed') claimed.add(row.event_id as string);
      else if (row.what === 'added') outcome.accepted.add(row.event_id as string);
      else if (row.what === 'known')
        outcome.knownKeys.add(keyKind(row.invoice_key as string, row.kind as string));
      else outcome.taken.set(row.event_id as string, row.content_hash as Buffer);
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
}
