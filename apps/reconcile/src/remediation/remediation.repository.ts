import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RECONCILE_ACTOR } from '../findings/finding.model';
import { ACTIVE_REQUEST } from './correction-requests.repository';

/** Why reconcile proposed a correction by itself (the correction's history and the API show it). */
export const AUTOMATIC_PROPOSAL_NOTE =
  "the authority's record of the invoice differs from our ledger: reverse it with a red-letter form (reason 01, 开票有误)";

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
   *
   * Each request proposes the red-letter form that would correct it (docs/corrections.md), proposed by reconcile and
   * awaiting a finance manager's approval: reason 01 (开票有误), the original invoice, and the amounts to reverse — the
   * authority's copy of the original (the ledger's for a status mismatch, whose amounts agree), less what our red
   * invoices already reversed, split between amount and tax in the original's proportion; never above that
   * remainder. It does not re-issue the invoice (`reissue` false): the red invoice completes it; a person who wants
   * the invoice re-issued proposes so instead.
   * Nothing left to reverse, or no positive amounts: no proposal (the request waits for a form entered by hand).
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
       SELECT f.id, f.invoice_key, f.tax_no, f.type, f.invoice_code, f.invoice_number,
              COALESCE((SELECT max(p.attempt) FROM correction_requests p WHERE p.finding_id = f.id), 0) + 1 AS attempt,
              COALESCE(f.evidence #>> '{authority,amount}', f.evidence #>> '{ledger,amount}')::numeric AS o_amount,
              COALESCE(f.evidence #>> '{authority,taxAmount}', f.evidence #>> '{ledger,taxAmount}')::numeric AS o_tax,
              COALESCE((SELECT l.red_reversed_amount FROM ledger_invoices l WHERE l.invoice_key = f.invoice_key), 0) AS reversed
         FROM findings f
        WHERE f.last_run_id = $1 AND f.type IN ${MISMATCH_TYPES} AND f.state = 'remediating'`,
      [runId],
    );
    // a finding that still has an active request keeps it (correction_requests_active)
    await m.query(
      `WITH due AS (
         SELECT d.*, d.o_amount + d.o_tax - d.reversed AS remaining,
                d.o_amount > 0 AND d.o_tax >= 0 AND d.o_amount + d.o_tax - d.reversed > 0 AND d.invoice_number IS NOT NULL AS proposable
           FROM correction_due d),
       proposals AS (
         SELECT due.*, CASE WHEN NOT proposable THEN NULL WHEN reversed = 0 THEN o_amount
                            ELSE round(remaining * o_amount / (o_amount + o_tax), 2) END AS red_amount
           FROM due),
       inserted AS (
         INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, form_state, status, created_at, updated_at,
                                          reason_code, original_code, original_number, red_amount, red_tax_amount, reissue, approval,
                                          proposed_by_kind, proposed_by, proposed_by_name, proposal_note)
         SELECT p.id, p.attempt, p.invoice_key, p.tax_no, CASE p.type WHEN 'AMOUNT_MISMATCH' THEN 'amount' ELSE 'status' END, NULL,
                'requested', $1, $1, CASE WHEN p.proposable THEN '01' END, p.invoice_code, p.invoice_number, p.red_amount,
                CASE WHEN p.proposable THEN p.remaining - p.red_amount END, false,
                CASE WHEN p.proposable THEN 'proposed' END, 'service', $2, $2,
                CASE WHEN p.proposable THEN $3 END
           FROM proposals p
         ON CONFLICT (finding_id) WHERE status IN ${ACTIVE_REQUEST} DO NOTHING
         RETURNING id, finding_id, approval, red_amount, red_tax_amount, reason_code, reissue),
       trail AS (
         INSERT INTO correction_history (correction_id, at, action, actor_kind, actor, actor_name, reason, detail)
         SELECT i.id, $1, 'proposed', 'service', $2, $2, $3,
                jsonb_build_object('reasonCode', i.reason_code, 'amount', i.red_amount::text, 'taxAmount', i.red_tax_amount::text,
                                   'reissue', i.reissue)
           FROM inserted i WHERE i.approval = 'proposed'
         RETURNING correction_id)
       INSERT INTO finding_history (finding_id, from_state, to_state, action, actor_kind, actor, actor_name, reason, run_id, at)
       SELECT i.finding_id, 'remediating', 'remediating', 'correction-proposed', 'service', $2, $2,
              'red-letter correction ' || i.id || ' proposed (reverse ' || (i.red_amount + i.red_tax_amount)::text || ', reason 01); it awaits a finance manager''s approval',
              $4, $1
         FROM inserted i JOIN trail t ON t.correction_id = i.id`,
      [now, RECONCILE_ACTOR.subject, AUTOMATIC_PROPOSAL_NOTE, runId],
    );
  }
}
