import { Actor } from '@lib/platform';
import { CORRECTION_STATE_SQL, CorrectionRow, CorrectionState, RedReasonCode } from './correction.model';

/** A correction's columns with its finding's branch, period, type and state (`c`: correction_requests, `f`: findings). */
export const CORRECTION_COLUMNS = `c.id, c.finding_id, c.attempt, c.tax_no, f.branch_id, f.period, f.type AS finding_type, f.state AS finding_state,
  c.invoice_key, c.kind, ${CORRECTION_STATE_SQL} AS state, c.status, c.approval, c.reason_code, c.original_code, c.original_number,
  c.red_amount::text AS red_amount, c.red_tax_amount::text AS red_tax_amount, c.reissue, c.proposed_by_kind, c.proposed_by,
  c.proposed_by_name, c.proposal_note, c.decided_by_kind, c.decided_by, c.decided_by_name, c.decided_at, c.decision_reason,
  c.submission, c.submit_attempts, c.submitted_at, c.submit_error, c.form_id, c.form_state, c.form_state_at, c.red_invoice_key,
  c.reissue_invoice_key, c.created_at, c.updated_at`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** The person or service of a row's (kind, subject, name) columns; null when no subject is recorded. */
export const actorFromColumns = (kind: unknown, subject: unknown, name: unknown): Actor | null =>
  subject
    ? {
        kind: kind === 'person' ? 'person' : 'service',
        subject: String(subject),
        name: String(name ?? subject),
      }
    : null;

export function toCorrectionRow(r: Record<string, unknown>): CorrectionRow {
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
    proposedBy: actorFromColumns(r.proposed_by_kind, r.proposed_by, r.proposed_by_name),
    proposalNote: (r.proposal_note as string | null) ?? null,
    decidedBy: actorFromColumns(r.decided_by_kind, r.decided_by, r.decided_by_name),
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
