import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';
import { LedgerEventRecord } from './ledger.model';
import { taxpayerMismatch } from './taxpayer-mismatch.error';

const INVOICE_FAMILY_LOCK_CLASS = ADVISORY_LOCK_CLASSES.reconcileInvoiceFamily;

/** Writes the ledger projection. Every statement is idempotent; the event row is the guard. */
@Injectable()
export class LedgerProjectionRepository {
  /** A person confirms an invoice that was back-filled from the authority (a resolved MISSING_IN_LEDGER finding). */
  async confirmBackfilled(m: EntityManager, invoiceKey: string, at: Date, by: string): Promise<void> {
    await m.query(`UPDATE ledger_invoices SET confirmed_at = $2, confirmed_by = $3 WHERE invoice_key = $1 AND source = 'authority'`, [invoiceKey, at, by]);
  }

  /** Records the event; false when it was already recorded (a redelivery under another consumer group, a replay). */
  async recordEvent(m: EntityManager, e: LedgerEventRecord, summary: object): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO ledger_events (event_id, invoice_key, kind, occurred_at, received_at, summary)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [e.eventId, e.invoiceKey, e.kind, e.occurredAt, e.receivedAt, JSON.stringify(summary)],
    )) as unknown[];
    return rows.length === 1;
  }

  async recordVersion(m: EntityManager, e: LedgerEventRecord): Promise<void> {
    await m.query(
      `INSERT INTO ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [e.invoiceKey, e.contentHash, e.amount, e.taxAmount, e.totalAmount, e.eventId, e.receivedAt],
    );
  }

  /**
   * The invoice's row: the first issue's content wins (a later, different issue is a duplicate, seen
   * through the versions table); a void wins over any later issue; a ledger event replaces a row that
   * was back-filled from the authority. `updated_at` is when the gateway received the latest change
   * (the grace for a status change runs from then, not from when this projection saw it).
   * Keys of two taxpayers may collide: an event of another seller than the row's changes nothing and fails
   * with TAXPAYER_MISMATCH (the consumer dead-letters it; its transaction, event row included, rolls back).
   */
  async upsertInvoice(m: EntityManager, e: LedgerEventRecord): Promise<void> {
    const rows = (await m.query(
      `INSERT INTO ledger_invoices AS li (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code,
         invoice_number, colour, state, original_key, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at,
         buyer_tax_no, buyer_name, line_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'ledger', $17, $18, $19, $20)
       ON CONFLICT (invoice_key) DO UPDATE SET
         state = CASE WHEN EXCLUDED.state = 'voided' OR li.state = 'voided' THEN 'voided' ELSE li.state END,
         tax_no = CASE WHEN li.source = 'authority' THEN EXCLUDED.tax_no ELSE li.tax_no END,
         branch_id = EXCLUDED.branch_id,
         device_id = EXCLUDED.device_id,
         amount = CASE WHEN li.source = 'authority' THEN EXCLUDED.amount ELSE li.amount END,
         tax_amount = CASE WHEN li.source = 'authority' THEN EXCLUDED.tax_amount ELSE li.tax_amount END,
         total_amount = CASE WHEN li.source = 'authority' THEN EXCLUDED.total_amount ELSE li.total_amount END,
         issued_at = CASE WHEN li.source = 'authority' THEN EXCLUDED.issued_at ELSE li.issued_at END,
         period = CASE WHEN li.source = 'authority' THEN EXCLUDED.period ELSE li.period END,
         buyer_tax_no = CASE WHEN li.source = 'authority' OR li.buyer_name IS NULL THEN EXCLUDED.buyer_tax_no ELSE li.buyer_tax_no END,
         buyer_name = CASE WHEN li.source = 'authority' OR li.buyer_name IS NULL THEN EXCLUDED.buyer_name ELSE li.buyer_name END,
         line_count = CASE WHEN li.source = 'authority' OR li.line_count IS NULL THEN EXCLUDED.line_count ELSE li.line_count END,
         received_at = COALESCE(li.received_at, EXCLUDED.received_at),
         source = 'ledger',
         backfill_run_id = NULL,
         updated_at = GREATEST(li.updated_at, EXCLUDED.updated_at)
       WHERE li.tax_no = EXCLUDED.tax_no
       RETURNING invoice_key`,
      [
        e.invoiceKey,
        e.taxNo,
        e.branchId,
        e.deviceId,
        e.period,
        e.invoiceType,
        e.code,
        e.number,
        e.colour,
        e.kind === 'voided' ? 'voided' : 'issued',
        e.originalKey,
        e.amount,
        e.taxAmount,
        e.totalAmount,
        e.issuedAt,
        e.receivedAt,
        e.receivedAt,
        e.buyerTaxNo,
        e.buyerName,
        e.lineCount,
      ],
    )) as unknown[];
    if (rows.length === 0) throw taxpayerMismatch(e, await this.ownerOf(m, e.invoiceKey));
  }

  /** The taxpayer a ledger row belongs to, for the error that refuses another taxpayer's event on it. */
  private async ownerOf(m: EntityManager, invoiceKey: string): Promise<string | null> {
    const [row] = (await m.query('SELECT tax_no FROM ledger_invoices WHERE invoice_key = $1', [invoiceKey])) as {
      tax_no: string;
    }[];
    return row?.tax_no ?? null;
  }

  /** Serialises the events of one original and its red invoices (transaction advisory lock on the original's key). */
  async lockFamily(m: EntityManager, originalKey: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [
      INVOICE_FAMILY_LOCK_CLASS,
      originalKey,
    ]);
  }

  /**
   * Recomputes an original's reversed amount from its own taxpayer's red invoices: red-reversed once fully reversed.
   * A red invoice of another seller citing a colliding key is its own invoice, never a reversal of this one.
   */
  async refreshReversal(m: EntityManager, originalKey: string): Promise<void> {
    await m.query(
      `UPDATE ledger_invoices o SET
         red_reversed_amount = r.reversed,
         state = CASE WHEN o.state = 'voided' THEN 'voided'
                      WHEN r.reversed > 0 AND r.reversed >= o.total_amount THEN 'red_reversed' ELSE 'issued' END
       FROM (SELECT COALESCE(SUM(ABS(red.total_amount)), 0) AS reversed
               FROM ledger_invoices red JOIN ledger_invoices orig ON orig.invoice_key = $1 AND orig.tax_no = red.tax_no
              WHERE red.original_key = $1 AND red.colour = 'red' AND red.source = 'ledger') r
       WHERE o.invoice_key = $1`,
      [originalKey],
    );
  }
}
