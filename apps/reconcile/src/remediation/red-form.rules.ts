import { RedFormSnapshot } from './red-form.port';

export type CorrectionStatus = 'requested' | 'submitted' | 'confirmed' | 'cancelled';

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

/**
 * The form a correction request follows when none is known yet: the newest form for the request's invoice that is
 * either still usable or pending (01-04), or that changed after the request was made (a form that was already void
 * before the request belongs to an earlier correction and is ignored).
 */
export function adoptForm(invoiceKey: string, requestedAt: Date, forms: readonly RedFormSnapshot[]): RedFormSnapshot | null {
  const candidates = forms.filter(
    (f) => f.originalInvoiceKey === invoiceKey && (!isVoidForm(f.state) || new Date(f.updatedAt).getTime() >= requestedAt.getTime()),
  );
  candidates.sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || b.formId.localeCompare(a.formId));
  return candidates[0] ?? null;
}

/** When a request is read again: never once its form is void; a confirmed form less often than a pending one. */
export function nextCheckAt(status: CorrectionStatus, now: Date, pendingCheckMs: number, confirmedCheckMs: number): Date | null {
  if (status === 'cancelled') return null;
  return new Date(now.getTime() + (status === 'confirmed' ? confirmedCheckMs : pendingCheckMs));
}
