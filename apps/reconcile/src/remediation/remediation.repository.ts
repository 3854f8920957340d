import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ACTIVE_REQUEST } from './correction-requests.repository';

const MISMATCH_TYPES = `('AMOUNT_MISMATCH', 'STATUS_MISMATCH')`;

/** The set-based remediations of a run: back-fill (补录) from the authority, and correction (红冲) requests. */
@Injectable()
export class RemediationRepository {
  /**
   * Invoices only the authority has go into the ledger projection marked as sourced from it (never
   * overwriting a ledger row); a person confirms them through the MISSING_IN_LEDGER finding.
   */
  async backfill(m: EntityManager, runId: string, taxNo: string, period: string, now: Date): Promise<number> {
    const rows = (await m.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number,
         colour, state, amount, tax_amount, total_amount, issued_at, source, backfill_run_id, updated_at)
       SELECT DISTINCT ON (a.invoice_key) a.invoice_key, $2, NULL, NULL, $3, a.invoice_type, a.invoice_code, a.invoice_number,
              CASE WHEN a.total_amount < 0 THEN 'red' ELSE 'blue' END,
              CASE a.status WHEN 'VOIDED' THEN 'voided' WHEN 'RED_REVERSED' THEN 'red_reversed' ELSE 'issued' END,
              a.amount, a.tax_amount, a.total_amount, a.issued_at, 'authority', $1, $4
         FROM run_discrepancies d JOIN authority_staged a ON a.run_id = d.run_id AND a.invoice_key = d.invoice_key
        WHERE d.run_id = $1 AND d.type = 'MISSING_IN_LEDGER'
        ORDER BY a.invoice_key, a.observed_at DESC
       ON CONFLICT (invoice_key) DO NOTHING
       RETURNING invoice_key`,
      [runId, taxNo, period, now],
    )) as unknown[];
    return rows.length;
  }

  /**
   * A correction request for every mismatch finding the run has in remediation without an active one: a new finding,
   * or one that came back (resolved before, reopened by this run: its previous request, if still active, is closed
   * first and kept with its form history). Attempts count per finding; at most one request is active
   * (`correction_requests_active`). The run holds every finding of the scope locked, so nothing else starts one.
   */
  async requestCorrections(m: EntityManager, runId: string, now: Date): Promise<void> {
    await m.query(
      `UPDATE correction_requests c SET status = 'closed', next_check_at = NULL, updated_at = $2
        WHERE c.status IN ${ACTIVE_REQUEST}
          AND EXISTS (SELECT 1 FROM findings f WHERE f.id = c.finding_id AND f.last_run_id = $1 AND f.type IN ${MISMATCH_TYPES}
                         AND f.state = 'remediating')
          AND EXISTS (SELECT 1 FROM finding_history h
                       WHERE h.finding_id = c.finding_id AND h.run_id = $1 AND h.to_state = 'remediating' AND h.from_state <> 'remediating')`,
      [runId, now],
    );
    // The findings that need a request, with their next attempt number, read before anything is inserted: an
    // INSERT … SELECT that looked correction_requests up per row would rescan the table it is growing whenever the
    // planner's statistics (stale: the run has just written these findings) make a sequential scan look free.
    await m.query('DROP TABLE IF EXISTS correction_due');
    await m.query(
      `CREATE TEMP TABLE correction_due ON COMMIT DROP AS
       SELECT f.id, f.invoice_key, f.tax_no, f.type, COALESCE((SELECT max(p.attempt) FROM correction_requests p WHERE p.finding_id = f.id), 0) + 1 AS attempt
         FROM findings f
        WHERE f.last_run_id = $1 AND f.type IN ${MISMATCH_TYPES} AND f.state = 'remediating'`,
      [runId],
    );
    // a finding that still has an active request keeps it (correction_requests_active)
    await m.query(
      `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, form_state, status, created_at, updated_at)
       SELECT d.id, d.attempt, d.invoice_key, d.tax_no, CASE d.type WHEN 'AMOUNT_MISMATCH' THEN 'amount' ELSE 'status' END, NULL, 'requested', $1, $1
         FROM correction_due d
       ON CONFLICT (finding_id) WHERE status IN ${ACTIVE_REQUEST} DO NOTHING`,
      [now],
    );
  }
}
