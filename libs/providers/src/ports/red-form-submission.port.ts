import type { RedFormView, WireRedReason } from '@lib/protocols';

/** A red-letter confirmation form (数电 红字确认单) we enter at the authority as the seller, after a four-eyes approval. */
export interface RedFormSubmission {
  /** The seller, who enters the form. */
  taxNo: string;
  /** Our request number for the form (the correction's id, hyphens kept): how we find it again when an answer is lost. */
  requestNo: string;
  original: { code: string | null; number: string };
  reason: WireRedReason;
  /** What the form reverses, as positive decimal strings (the adapter sends them negative, as the authority wants). */
  amount: string;
  taxAmount: string;
}

/** The authority answered: the form it created, or its refusal (its business code, e.g. amount above the remainder). */
export type RedFormSubmitResult =
  { status: 'created'; form: RedFormView } | { status: 'refused'; code: string; message: string };

/**
 * Entering red-letter forms at the authority, exactly once in effect. `submit` throws an ExternalCallError when the
 * call failed: `not_sent` (nothing was done: send again), `unknown` (the form may exist: `lookup` before sending again).
 * `lookup` answers the form entered with this request number for this original, or null when none was.
 */
export interface RedFormSubmitter {
  submit(submission: RedFormSubmission): Promise<RedFormSubmitResult>;
  lookup(taxNo: string, requestNo: string, originalInvoiceKey: string): Promise<RedFormView | null>;
  readonly available: boolean;
  shutdown(): void;
}
