import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returningRows } from '@lib/persistence';

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

/** The submitter's side of `correction_requests`: claims, and what the authority answered to a claimed try. */
@Injectable()
export class CorrectionSubmissionsRepository {
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

  /** Where a claimed submission stands now, its row locked (null: gone); the caller locked its finding first. */
  async lockSubmission(
    m: EntityManager,
    id: string,
  ): Promise<{ submission: string | null; status: string } | null> {
    const [current] = (await m.query(
      'SELECT submission, status FROM correction_requests WHERE id = $1 FOR UPDATE',
      [id],
    )) as { submission: string | null; status: string }[];
    return current ?? null;
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
