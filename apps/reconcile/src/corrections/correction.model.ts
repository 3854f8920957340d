import type { CorrectionState } from '@lib/contracts';
import { Actor } from '@lib/platform';

/**
 * Where a correction stands, as the API shows it (docs/corrections.md), derived from its request's columns:
 * - `proposed`: awaits a finance manager's decision; `rejected` by one; `withdrawn`: replaced by a newer proposal;
 * - `approved`: to be entered at the authority (the submitter's); `refused`: the authority refused to enter it;
 * - `submitted`: the form awaits the buyer (02/03); `confirmed`: 01/04, the red invoice is expected;
 * - `completed`: the red invoice issued with the form is at the authority; `void`: the form became void (05-10);
 * - `closed`: its finding was resolved or ignored meanwhile; `awaiting-form`: a request without a proposal (from
 *   before four eyes), waiting for a form entered by hand.
 */
export { CORRECTION_STATES, type CorrectionState } from '@lib/contracts';

/** The SQL of a request's API state (alias `c`), in the order of CORRECTION_STATES' explanation. */
export const CORRECTION_STATE_SQL = `CASE
  WHEN c.approval = 'withdrawn' THEN 'withdrawn'
  WHEN c.approval = 'rejected' THEN 'rejected'
  WHEN c.submission = 'refused' THEN 'refused'
  WHEN c.status = 'closed' AND c.red_invoice_key IS NOT NULL THEN 'completed'
  WHEN c.status = 'closed' THEN 'closed'
  WHEN c.status = 'cancelled' THEN 'void'
  WHEN c.status = 'confirmed' THEN 'confirmed'
  WHEN c.status = 'submitted' THEN 'submitted'
  WHEN c.approval = 'approved' THEN 'approved'
  WHEN c.approval = 'proposed' THEN 'proposed'
  ELSE 'awaiting-form' END`;

/** Red-letter reasons (DOMAIN.md): 01 开票有误, 02 销货退回, 03 服务中止, 04 销售折让. */
export const RED_REASONS = {
  '01': '开票有误 (invoicing error)',
  '02': '销货退回 (goods returned)',
  '03': '服务中止 (service stopped)',
  '04': '销售折让 (sales allowance)',
} as const;
export type RedReasonCode = keyof typeof RED_REASONS;
export const RED_REASON_CODES = Object.keys(RED_REASONS) as RedReasonCode[];

/** One correction request with its finding's scope, as read for the API and for a decision. */
export interface CorrectionRow {
  id: string;
  findingId: string;
  attempt: number;
  taxNo: string;
  branchId: string | null;
  period: string;
  findingType: string;
  findingState: string;
  invoiceKey: string;
  kind: 'amount' | 'status';
  state: CorrectionState;
  status: string;
  approval: 'proposed' | 'approved' | 'rejected' | 'withdrawn' | null;
  reasonCode: RedReasonCode | null;
  originalCode: string | null;
  originalNumber: string | null;
  amount: string | null;
  taxAmount: string | null;
  reissue: boolean;
  proposedBy: Actor | null;
  proposalNote: string | null;
  decidedBy: Actor | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  submission: 'due' | 'in_flight' | 'done' | 'refused' | null;
  submitAttempts: number;
  submittedAt: Date | null;
  submitError: string | null;
  formId: string | null;
  formState: string | null;
  formStateAt: Date | null;
  redInvoiceKey: string | null;
  /** The corrected re-issue a person named (reissue only). */
  reissueInvoiceKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CorrectionHistoryEntry {
  at: Date;
  action: string;
  actor: Actor;
  reason: string | null;
  detail: Record<string, unknown>;
}

export interface FormStateEntry {
  formId: string;
  fromState: string | null;
  toState: string;
  formUpdatedAt: Date;
  observedAt: Date;
}

/** The sum of two decimal strings of at most 2 places, exactly (fen arithmetic). */
export function addMoney(a: string, b: string): string {
  const fen = toFen(a) + toFen(b);
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function toFen(v: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(v.trim());
  if (!match) throw new Error(`not an amount: ${v}`);
  const fen = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

export function correctionView(
  c: CorrectionRow,
  history?: CorrectionHistoryEntry[],
  formHistory?: FormStateEntry[],
) {
  return {
    id: c.id,
    findingId: c.findingId,
    attempt: c.attempt,
    state: c.state,
    taxNo: c.taxNo,
    branchId: c.branchId,
    period: c.period,
    invoiceKey: c.invoiceKey,
    findingType: c.findingType,
    findingState: c.findingState,
    reasonCode: c.reasonCode,
    reason: c.reasonCode ? RED_REASONS[c.reasonCode] : null,
    original: c.originalNumber ? { code: c.originalCode, number: c.originalNumber } : null,
    amount: c.amount,
    taxAmount: c.taxAmount,
    totalAmount: c.amount !== null && c.taxAmount !== null ? addMoney(c.amount, c.taxAmount) : null,
    reissue: c.reissue,
    proposedBy: c.proposedBy,
    proposalNote: c.proposalNote,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    decisionReason: c.decisionReason,
    submission: c.submission
      ? {
          state: c.submission,
          attempts: c.submitAttempts,
          submittedAt: c.submittedAt?.toISOString() ?? null,
          lastError: c.submitError,
        }
      : null,
    form: c.formId
      ? { formId: c.formId, state: c.formState, stateAt: c.formStateAt?.toISOString() ?? null }
      : null,
    redInvoiceKey: c.redInvoiceKey,
    reissueInvoiceKey: c.reissueInvoiceKey,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    ...(history
      ? {
          history: history.map((h) => ({
            at: h.at.toISOString(),
            action: h.action,
            actor: h.actor,
            reason: h.reason,
            detail: h.detail,
          })),
        }
      : {}),
    ...(formHistory
      ? {
          formHistory: formHistory.map((h) => ({
            formId: h.formId,
            fromState: h.fromState,
            toState: h.toState,
            formUpdatedAt: h.formUpdatedAt.toISOString(),
            observedAt: h.observedAt.toISOString(),
          })),
        }
      : {}),
  };
}
export type CorrectionView = ReturnType<typeof correctionView>;
