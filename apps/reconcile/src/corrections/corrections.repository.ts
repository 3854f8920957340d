import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returningRows } from '@lib/persistence';
import { Actor, BranchScope, scopeParam } from '@lib/platform';
import { ACTIVE_REQUEST } from '../remediation/correction-requests.repository';
import {
  CORRECTION_STATE_SQL,
  CorrectionHistoryEntry,
  CorrectionRow,
  CorrectionState,
  FormStateEntry,
  RedReasonCode,
} from './correction.model';

const COLUMNS = `c.id, c.finding_id, c.attempt, c.tax_no, f.branch_id, f.period, f.type AS finding_type, f.state AS finding_state,
  c.invoice_key, c.kind, ${CORRECTION_STATE_SQL} AS state, c.status, c.approval, c.reason_code, c.original_code, c.original_number,
  c.red_amount::text AS red_amount, c.red_tax_amount::text AS red_tax_amount, c.reissue, c.proposed_by_kind, c.proposed_by,
  c.proposed_by_name, c.proposal_note, c.decided_by_kind, c.decided_by, c.decided_by_name, c.decided_at, c.decision_reason,
  c.submission, c.submit_attempts, c.submitted_at, c.submit_error, c.form_id, c.form_state, c.form_state_at, c.red_invoice_key,
  c.reissue_invoice_key, c.created_at, c.updated_at`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
const actor = (kind: unknown, subject: unknown, name: unknown): Actor | null =>
  subject
    ? {
        kind: kind === 'person' ? 'person' : 'service',
        subject: String(subject),
        name: String(name ?? subject),
      }
    : null;

function toRow(r: Record<string, unknown>): CorrectionRow {
  return {
    id: String(r.id),
    findingId: String(r.finding_id),
    attempt: Number(r.attempt),
    taxNo: String(r.tax_no),
    branchId: (r.branch_id as string | null) ?? null,
    period: String(r.period),
    findingType: String(r.finding_type),
    findingState: String(r.finding_state),
    invoiceKey: String(r.invoice_key),
    kind: r.kind as 'amount' | 'status',
    state: r.state as CorrectionState,
    status: String(r.status),
    approval: (r.approval as CorrectionRow['approval']) ?? null,
    reasonCode: (r.reason_code as RedReasonCode | null) ?? null,
    originalCode: (r.original_code as string | null) ?? null,
    originalNumber: (r.original_number as string | null) ?? null,
    amount: (r.red_amount as string | null) ?? null,
    taxAmount: (r.red_tax_amount as string | null) ?? null,
    reissue: r.reissue === true,
    proposedBy: actor(r.proposed_by_kind, r.proposed_by, r.proposed_by_name),
    proposalNote: (r.proposal_note as string | null) ?? null,
    decidedBy: actor(r.decided_by_kind, r.decided_by, r.decided_by_name),
    decidedAt: date(r.decided_at),
    decisionReason: (r.decision_reason as string | null) ?? null,
    submission: (r.submission as CorrectionRow['submission']) ?? null,
    submitAttempts: Number(r.submit_attempts ?? 0),
    submittedAt: date(r.submitted_at),
    submitError: (r.submit_error as string | null) ?? null,
    formId: (r.form_id as string | null) ?? null,
    formState: (r.form_state as string | null) ?? null,
    formStateAt: date(r.form_state_at),
    redInvoiceKey: (r.red_invoice_key as string | null) ?? null,
    reissueInvoiceKey: (r.reissue_invoice_key as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  };
}

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

/** What the submitter claimed: an approved proposal to enter at the authority, and whether an earlier try may have. */
export interface ClaimedSubmission {
  id: string;
  findingId: string;
  attempt: number;
  taxNo: string;
  invoiceKey: string;
  reasonCode: string;
  originalCode: string | null;
  originalNumber: string;
  amount: string;
  taxAmount: string;
  /** Tries before this one (their outcome may be unknown: look up before entering the form again). */
  earlierAttempts: number;
}

/** Correction requests as the corrections API and the submitter read and change them (`correction_requests`, `correction_history`). */
@Injectable()
export class CorrectionsRepository {
  /**
   * One correction within the scope (null: unknown or outside it). `lock`: its finding first, then the request (the
   * order of the tracker and of runs), so a decision never interleaves with a round or a run.
   */
  async get(m: EntityManager, id: string, scope: BranchScope, lock = false): Promise<CorrectionRow | null> {
    if (lock) {
      const locked = (await m.query(
        `SELECT f.id FROM findings f WHERE f.id = (SELECT c.finding_id FROM correction_requests c WHERE c.id = $1)
            AND ($2::text[] IS NULL OR f.branch_id = ANY($2::text[])) FOR UPDATE`,
        [id, scopeParam(scope)],
      )) as unknown[];
      if (locked.length === 0) return null;
    }
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE c.id = $1 AND ($2::text[] IS NULL OR f.branch_id = ANY($2::text[])) ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id, scopeParam(scope)],
    )) as Record<string, unknown>[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async list(
    m: EntityManager,
    scope: BranchScope,
    q: {
      state?: CorrectionState;
      taxNo?: string;
      findingId?: string;
      after: { at: string; id: string } | null;
      limit: number;
    },
  ): Promise<CorrectionRow[]> {
    const rows = (await m.query(
      `SELECT * FROM (SELECT ${COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
                        WHERE ($1::text[] IS NULL OR f.branch_id = ANY($1::text[]))
                          AND ($2::text IS NULL OR c.tax_no = $2) AND ($3::uuid IS NULL OR c.finding_id = $3)
                          AND ($4::timestamptz IS NULL OR (c.created_at, c.id) < ($4::timestamptz, $5::uuid))) x
        WHERE ($6::text IS NULL OR x.state = $6)
        ORDER BY x.created_at DESC, x.id DESC LIMIT $7`,
      [
        scopeParam(scope),
        q.taxNo ?? null,
        q.findingId ?? null,
        q.after?.at ?? null,
        q.after?.id ?? null,
        q.state ?? null,
        q.limit + 1,
      ],
    )) as Record<string, unknown>[];
    return rows.map(toRow);
  }

  async history(m: EntityManager, id: string): Promise<CorrectionHistoryEntry[]> {
    const rows = (await m.query(
      `SELECT at, action, actor_kind, actor, actor_name, reason, detail FROM correction_history WHERE correction_id = $1 ORDER BY seq`,
      [id],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      at: new Date(r.at as string),
      action: String(r.action),
      actor: actor(r.actor_kind, r.actor, r.actor_name)!,
      reason: (r.reason as string | null) ?? null,
      detail: (r.detail as Record<string, unknown>) ?? {},
    }));
  }

  async formHistory(
    m: EntityManager,
    c: Pick<CorrectionRow, 'findingId' | 'attempt'>,
  ): Promise<FormStateEntry[]> {
    const rows = (await m.query(
      `SELECT form_id, from_state, to_state, form_updated_at, observed_at FROM correction_form_history
        WHERE finding_id = $1 AND attempt = $2 ORDER BY id`,
      [c.findingId, c.attempt],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      formId: String(r.form_id),
      fromState: (r.from_state as string | null) ?? null,
      toState: String(r.to_state),
      formUpdatedAt: new Date(r.form_updated_at as string),
      observedAt: new Date(r.observed_at as string),
    }));
  }

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
      `SELECT ${COLUMNS} FROM correction_requests c JOIN findings f ON f.id = c.finding_id
        WHERE c.finding_id = $1 AND c.status IN ${ACTIVE_REQUEST} FOR UPDATE OF c`,
      [findingId],
    )) as Record<string, unknown>[];
    return { active: rows[0] ? toRow(rows[0]) : null, nextAttempt: Number(next.n) };
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
   * Claims approved proposals due for entering at the authority: each marked `in_flight` until `leaseUntil` (a
   * process that dies mid-call leaves it to be claimed again after the lease, and then looked up first), in its own
   * short transaction, skipping rows another submitter or a decision holds.
   */
  async claimSubmissions(
    m: EntityManager,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<ClaimedSubmission[]> {
    const rows = await returningRows<Record<string, unknown>>(
      m,
      `WITH due AS (
         SELECT c.finding_id, c.attempt FROM correction_requests c
          WHERE c.submission IN ('due', 'in_flight') AND c.submit_next_at <= $1 AND c.status = 'requested'
            AND c.approval = 'approved' AND c.form_id IS NULL
          ORDER BY c.submit_next_at, c.finding_id LIMIT $3
            FOR UPDATE OF c SKIP LOCKED)
       UPDATE correction_requests c SET submission = 'in_flight', submit_attempts = c.submit_attempts + 1, submit_next_at = $2,
              updated_at = $1
         FROM due WHERE c.finding_id = due.finding_id AND c.attempt = due.attempt
       RETURNING c.id, c.finding_id, c.attempt, c.tax_no, c.invoice_key, c.reason_code, c.original_code, c.original_number,
                 c.red_amount::text AS red_amount, c.red_tax_amount::text AS red_tax_amount, c.submit_attempts - 1 AS earlier`,
      [now, leaseUntil, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      findingId: String(r.finding_id),
      attempt: Number(r.attempt),
      taxNo: String(r.tax_no),
      invoiceKey: String(r.invoice_key),
      reasonCode: String(r.reason_code),
      originalCode: (r.original_code as string | null) ?? null,
      originalNumber: String(r.original_number),
      amount: String(r.red_amount),
      taxAmount: String(r.red_tax_amount),
      earlierAttempts: Number(r.earlier),
    }));
  }

  /** The form the authority created (or that a lookup found): the tracker follows it from here. */
  async submitted(
    m: EntityManager,
    id: string,
    form: { formId: string; state: string; status: string; stateAt: Date; nextCheckAt: Date | null },
    now: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET submission = 'done', submitted_at = $2, submit_next_at = NULL, submit_error = NULL, form_id = $3,
              form_state = $4, status = CASE WHEN status = 'requested' THEN $5 ELSE status END, form_state_at = $6,
              next_check_at = CASE WHEN status = 'requested' THEN $7::timestamptz ELSE next_check_at END, updated_at = $2
        WHERE id = $1`,
      [id, now, form.formId, form.state, form.status, form.stateAt, form.nextCheckAt],
    );
  }

  async refused(m: EntityManager, id: string, error: string, now: Date): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET submission = 'refused', submit_next_at = NULL, submit_error = $2, updated_at = $3,
              status = CASE WHEN status = 'requested' THEN 'rejected' ELSE status END, next_check_at = NULL
        WHERE id = $1`,
      [id, error, now],
    );
  }

  /** A try that failed (or whose outcome is unknown): tried again at `nextAt`, after a lookup. */
  async retryLater(m: EntityManager, id: string, error: string, nextAt: Date, now: Date): Promise<void> {
    await m.query(
      `UPDATE correction_requests SET submission = 'due', submit_next_at = $2, submit_error = $3, updated_at = $4
        WHERE id = $1 AND submission = 'in_flight'`,
      [id, nextAt, error, now],
    );
  }
}
