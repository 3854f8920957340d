import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

  /** One correction request per mismatch finding the run put into remediation (the 红冲 workflow tracks it). */
  async requestCorrections(m: EntityManager, runId: string, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO correction_requests (finding_id, invoice_key, tax_no, kind, form_state, status, created_at, updated_at)
       SELECT f.id, f.invoice_key, f.tax_no, CASE f.type WHEN 'AMOUNT_MISMATCH' THEN 'amount' ELSE 'status' END, NULL, 'requested', $2, $2
         FROM findings f
        WHERE f.last_run_id = $1 AND f.type IN ('AMOUNT_MISMATCH', 'STATUS_MISMATCH') AND f.state = 'remediating'
       ON CONFLICT (finding_id) DO NOTHING`,
      [runId, now],
    );
  }
}
