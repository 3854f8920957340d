import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@lib/platform';
import { ACTIVE_REQUEST } from '../remediation/correction-requests.repository';
import { CORRECTION_COLUMNS, toCorrectionRow } from './correction.mapper';
import { CorrectionHistoryEntry, CorrectionRow } from './correction.model';

/** A person's (or the product's) new proposal for a finding. */
export interface NewProposal {
  findingId: string;
  attempt: number;
  invoiceKey: string;
  taxNo: string;
  kind: 'amount' | 'status';
  reasonCode: string;
  originalCode: string | null;
  originalNumber: string;
  amount: string;
  taxAmount: string;
  reissue: boolean;
  /** The corrected re-issue, when already known (reissue only). */
  reissueInvoiceKey: string | null;
  note: string;
  by: Actor;
}

/**
 * Correction requests as a proposal, its decision and its re-issue change them (`correction_requests`,
 * `correction_history`), with what they read of the finding and the ledger to check a proposal.
 */
@Injectable()
export class CorrectionsRepository {
  async record(m: EntityManager, id: string, entry: CorrectionHistoryEntry): Promise<void> {
    await m.query(
      `INSERT INTO correction_history (correction_id, at, action, actor_kind, actor, actor_name, reason, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        entry.at,
        entry.action,
        entry.actor.kind,
        entry.actor.subject,
        entry.actor.name,
        entry.reason,
        JSON.stringify(entry.detail),
      ],
    );
  }

  /** The finding's active request and its next attempt number (the caller locked the finding). */
  async activeOf(
    m: EntityManager,
    findingId: string,
  ): Promise<{ active: CorrectionRow | null; nextAttempt: number }> {
    const [next] = (await m.query(
      'SELECT COALESCE(max(attempt), 0) + 1 AS n FROM correction_requests WHERE finding_id = $1',
      [findingId],
    )) as { n: number }[];
    const rows = (await m.query(
      `SELECT ${CORRECTION_COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE c.finding_id = $1 AND c.status IN ${ACTIVE_REQUEST} FOR UPDATE OF c`,
      [findingId],
    )) as Record<string, unknown>[];
    return { active: rows[0] ? toCorrectionRow(rows[0]) : null, nextAttempt: Number(next.n) };
  }

  async insertProposal(m: EntityManager, p: NewProposal, now: Date): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, form_state, status, created_at, updated_at,
                                        reason_code, original_code, original_number, red_amount, red_tax_amount, reissue, approval,
                                        proposed_by_kind, proposed_by, proposed_by_name, proposal_note, next_check_at, reissue_invoice_key)
       VALUES ($1, $2, $3, $4, $5, NULL, 'requested', $6, $6, $7, $8, $9, $10, $11, $12, 'proposed', $13, $14, $15, $16, NULL, $17)
       RETURNING id`,
      [
        p.findingId,
        p.attempt,
        p.invoiceKey,
        p.taxNo,
        p.kind,
        now,
        p.reasonCode,
        p.originalCode,
        p.originalNumber,
        p.amount,
        p.taxAmount,
        p.reissue,
        p.by.kind,
        p.by.subject,
        p.by.name,
        p.note,
        p.reissueInvoiceKey,
      ],
    )) as { id: string }[];
    return row.id;
  }

  /**
   * Names the corrected re-issue of a re-issuing correction; a request already following its form is read again at
   * once (the tracker completes it when the red invoice and the re-issue are both at the authority).
   */
  async linkReissue(m: EntityManager, id: string, invoiceKey: string, now: Date): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET reissue_invoice_key = $2, updated_at = $3,
              next_check_at = CASE WHEN form_id IS NOT NULL AND next_check_at IS NOT NULL THEN LEAST(next_check_at, $3) ELSE next_check_at END
        WHERE id = $1`,
      [id, invoiceKey, now],
    );
  }

  /**
   * What the ledger knows of a would-be re-issue: its taxpayer, colour and state (null: not in our ledger).
   */
  async ledgerInvoice(
    m: EntityManager,
    invoiceKey: string,
  ): Promise<{ taxNo: string; colour: string; state: string; source: string } | null> {
    const [row] = (await m.query(
      'SELECT tax_no AS "taxNo", colour, state, source FROM ledger_invoices WHERE invoice_key = $1',
      [invoiceKey],
    )) as { taxNo: string; colour: string; state: string; source: string }[];
    return row ?? null;
  }

  /** A pending proposal replaced by a newer one: no longer active, kept for the record. */
  async withdraw(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET approval = 'withdrawn', status = 'closed', next_check_at = NULL, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }

  /** The decision of a finance manager on a pending proposal (the caller locked it and checked it is pending). */
  async decide(
    m: EntityManager,
    id: string,
    decision: 'approved' | 'rejected',
    by: Actor,
    reason: string | null,
    now: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET approval = $2, decided_by_kind = $3, decided_by = $4, decided_by_name = $5, decided_at = $6,
              decision_reason = $7, updated_at = $6,
              status = CASE WHEN $2 = 'rejected' THEN 'rejected' ELSE status END,
              next_check_at = CASE WHEN $2 = 'rejected' THEN NULL ELSE next_check_at END,
              submission = CASE WHEN $2 = 'approved' THEN 'due' ELSE submission END,
              submit_next_at = CASE WHEN $2 = 'approved' THEN $6 ELSE submit_next_at END
        WHERE id = $1`,
      [id, decision, by.kind, by.subject, by.name, now, reason],
    );
  }

  /**
   * What there is to reverse of a finding's original: the authority's total (the ledger's when it has none) and what
   * our red invoices reversed so far (null: no such finding).
   */
  async remainingOf(
    m: EntityManager,
    findingId: string,
  ): Promise<{ total: string | null; reversed: string } | null> {
    const [row] = (await m.query(
      `SELECT COALESCE(f.evidence #>> '{authority,totalAmount}', f.evidence #>> '{ledger,totalAmount}') AS total,
              COALESCE((SELECT l.red_reversed_amount::text FROM ledger_invoices l WHERE l.invoice_key = f.invoice_key), '0') AS reversed
         FROM findings f WHERE f.id = $1`,
      [findingId],
    )) as { total: string | null; reversed: string }[];
    return row ?? null;
  }
}
