import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SyncResult } from '@lib/contracts';

/** sync.results.v1 → the latest outcome per (invoice, target), and the log of every result for the timeline. */
@Injectable()
export class SyncProjectionRepository {
  async record(m: EntityManager, eventId: string, r: SyncResult): Promise<void> {
    const inserted = (await m.query(
      `INSERT INTO sync_result_log (event_id, invoice_key, target, outcome, at, payload)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId, r.invoiceKey, r.target, r.outcome, r.at, JSON.stringify(r)],
    )) as unknown[];
    if (inserted.length === 0) return;
    // Results of one invoice arrive in order (same partition), but a replay may bring an older one: keep the newest.
    await m.query(
      `INSERT INTO sync_deliveries AS d (invoice_key, target, outcome, relayed_via, error_code, error_message, attempts,
         first_accepted_at, last_accepted_at, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
         CASE WHEN $3 IN ('accepted', 'relayed') THEN $8::timestamptz END,
         CASE WHEN $3 IN ('accepted', 'relayed') THEN $8::timestamptz END, $8)
       ON CONFLICT (invoice_key, target) DO UPDATE SET
         outcome = CASE WHEN EXCLUDED.at >= d.at THEN EXCLUDED.outcome ELSE d.outcome END,
         relayed_via = CASE WHEN EXCLUDED.at >= d.at THEN EXCLUDED.relayed_via ELSE d.relayed_via END,
         error_code = CASE WHEN EXCLUDED.at >= d.at THEN EXCLUDED.error_code ELSE d.error_code END,
         error_message = CASE WHEN EXCLUDED.at >= d.at THEN EXCLUDED.error_message ELSE d.error_message END,
         attempts = GREATEST(d.attempts, EXCLUDED.attempts),
         first_accepted_at = LEAST(d.first_accepted_at, EXCLUDED.first_accepted_at),
         last_accepted_at = GREATEST(d.last_accepted_at, EXCLUDED.last_accepted_at),
         at = GREATEST(d.at, EXCLUDED.at)`,
      [r.invoiceKey, r.target, r.outcome, r.relayedVia, r.errorCode, r.errorMessage, r.attempts, r.at],
    );
  }

  /** Every result logged for one invoice. */
  async results(m: EntityManager, invoiceKey: string): Promise<{ event_id: string; at: Date; payload: Record<string, unknown> }[]> {
    return (await m.query('SELECT event_id, at, payload FROM sync_result_log WHERE invoice_key = $1', [invoiceKey])) as {
      event_id: string;
      at: Date;
      payload: Record<string, unknown>;
    }[];
  }
}
