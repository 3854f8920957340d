import { parseInvoiceKey } from '@lib/domain';
import { wireInvoiceKey } from '@lib/protocols';
import { CheckIntervals, RedFormSnapshot } from './red-form.port';

/**
 * Whether a form is about our invoice: the authority names the original by its wire key (code and number run together),
 * ours puts a dash between them for an invoice with a code (a 数电 number is the same in both).
 */
export function formIsAbout(form: Pick<RedFormSnapshot, 'originalInvoiceKey'>, invoiceKey: string): boolean {
  return form.originalInvoiceKey === wireInvoiceKey(parseInvoiceKey(invoiceKey));
}

/**
 * Where a correction request stands: `requested` (no form yet), `submitted` (02/03), `confirmed` (01/04), `cancelled`
 * (its form became void, 05-10), `closed` (its finding was resolved or ignored while it was still active).
 */
export type CorrectionStatus = 'requested' | 'submitted' | 'confirmed' | 'cancelled' | 'closed';

/** The statuses of a request still followed; a finding has at most one such request. */
export const ACTIVE_STATUSES: readonly CorrectionStatus[] = ['requested', 'submitted', 'confirmed'];

export function isActiveRequest(status: CorrectionStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

interface StateMeaning {
  status: CorrectionStatus;
  /** Completes "the form …". */
  words: string;
}

/** What each state of a red-letter confirmation form means for the correction (domain: states 01-10). */
const STATES: Readonly<Record<string, StateMeaning>> = {
  '01': { status: 'confirmed', words: 'needs no confirmation, so the red invoice can be issued' },
  '02': { status: 'submitted', words: "was entered by the seller and awaits the buyer's confirmation" },
  '03': { status: 'submitted', words: "was entered by the buyer and awaits the seller's confirmation" },
  '04': { status: 'confirmed', words: 'was confirmed by both parties, so the red invoice can be issued' },
  '05': { status: 'cancelled', words: 'was rejected by the buyer' },
  '06': { status: 'cancelled', words: 'was rejected by the seller' },
  '07': { status: 'cancelled', words: 'expired because the other party did not confirm it within 72 hours' },
  '08': { status: 'cancelled', words: 'was withdrawn by the party that entered it' },
  '09': { status: 'cancelled', words: 'was withdrawn after it had been confirmed' },
  '10': { status: 'cancelled', words: 'was voided by the authority as abnormal' },
};

function meaning(state: string): StateMeaning {
  return STATES[state] ?? { status: 'submitted', words: `is in state ${state}, which we do not know` };
}

export function correctionStatusOf(state: string): CorrectionStatus {
  return meaning(state).status;
}

/** 05-10: the form is void and no red invoice can cite it; the correction needs a person. */
export function isVoidForm(state: string): boolean {
  return meaning(state).status === 'cancelled';
}

/** For the finding's history: "red-letter form HZ… is now 04: it was confirmed by both parties, …". */
export function formStateNote(formId: string, state: string): string {
  return `red-letter confirmation form ${formId} is now ${state}: it ${meaning(state).words}`;
}

/** The escalated finding's explanation, one sentence for a finance clerk. */
export function voidFormExplanation(invoiceKey: string, formId: string, state: string): string {
  return (
    `Invoice ${invoiceKey} still differs from the authority's record and its red-letter confirmation form ${formId} ` +
    `${meaning(state).words} (state ${state}), so no red invoice can be issued with it; ` +
    'a person must agree the correction with the buyer and enter a new form.'
  );
}

/** The resolved finding's explanation once the red invoice issued with the confirmed form is at the authority. */
export function redInvoiceExplanation(
  invoiceKey: string,
  formId: string,
  redInvoiceKey: string,
  reissueInvoiceKey: string | null = null,
): string {
  const reissued = reissueInvoiceKey ? ` and invoice ${reissueInvoiceKey} re-issued it corrected` : '';
  return (
    `Invoice ${invoiceKey} was corrected: red invoice ${redInvoiceKey} reversed it at the authority with red-letter ` +
    `confirmation form ${formId}${reissued}, so the mismatch is settled.`
  );
}

/**
 * A finding escalated over a void form that goes back to remediation because a new form was entered: one sentence
 * for a finance clerk, e.g. "… a new red-letter confirmation form HZ2 was entered after form HZ1 became void, and it
 * was entered by the seller and awaits the buyer's confirmation (state 02); the correction is followed again."
 */
export function newFormExplanation(invoiceKey: string, voidFormId: string | null, formId: string, state: string): string {
  const after = voidFormId ? `form ${voidFormId}` : 'the previous form';
  return (
    `Invoice ${invoiceKey} still differs from the authority's record; a new red-letter confirmation form ${formId} was ` +
    `entered after ${after} became void, and it ${meaning(state).words} (state ${state}); the correction is followed again.`
  );
}

/**
 * The form a correction request follows when none is known yet: the newest form for the request's invoice that is
 * either still usable or pending (01-04), or that changed after the request was made (a form that was already void
 * before the request belongs to an earlier correction and is ignored). Forms the finding's earlier requests followed
 * (`followed`) belong to earlier corrections too, whatever their state.
 */
export function adoptForm(
  invoiceKey: string,
  requestedAt: Date,
  forms: readonly RedFormSnapshot[],
  followed: readonly string[] = [],
): RedFormSnapshot | null {
  return newest(
    forms.filter(
      (f) =>
        formIsAbout(f, invoiceKey) &&
        !followed.includes(f.formId) &&
        (!isVoidForm(f.state) || new Date(f.updatedAt).getTime() >= requestedAt.getTime()),
    ),
  );
}

/**
 * After an escalation over a void form: the newest live form (01-04) for the invoice that none of the finding's
 * requests followed yet. A new form already void when first seen changes nothing (the finding is escalated anyway).
 */
export function adoptNewForm(invoiceKey: string, followed: readonly string[], forms: readonly RedFormSnapshot[]): RedFormSnapshot | null {
  return newest(forms.filter((f) => formIsAbout(f, invoiceKey) && !followed.includes(f.formId) && !isVoidForm(f.state)));
}

function newest(candidates: RedFormSnapshot[]): RedFormSnapshot | null {
  candidates.sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || b.formId.localeCompare(a.formId));
  return candidates[0] ?? null;
}

/**
 * When a request is read again: a pending one (no form, 02/03) sooner than a confirmed one (01/04); a void one
 * (05-10) only to look for a new form, and only while its finding is escalated (the caller decides); a closed one never.
 */
export function nextCheckAt(status: CorrectionStatus, now: Date, intervals: CheckIntervals): Date | null {
  const wait: Record<CorrectionStatus, number | null> = {
    requested: intervals.pendingCheckMs,
    submitted: intervals.pendingCheckMs,
    confirmed: intervals.confirmedCheckMs,
    cancelled: intervals.escalatedCheckMs,
    closed: null,
  };
  const ms = wait[status];
  return ms === null ? null : new Date(now.getTime() + ms);
}
