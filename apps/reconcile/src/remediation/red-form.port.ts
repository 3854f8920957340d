/** A red-letter confirmation form (数电 红字确认单) as the authority shows it; states 01-10 (docs/reconcile.md). */
export interface RedFormSnapshot {
  formId: string;
  state: string;
  originalInvoiceKey: string;
  createdAt: string;
  updatedAt: string;
  /** The red invoice issued with the form (红字发票号码), once the authority accepted one; absent when not known. */
  redInvoiceKey?: string | null;
}

/**
 * Reads a taxpayer's red-letter forms from the authority (libs/providers `AuthorityRedFormsReader`; tests pass
 * the same reader pointed at the sandbox). Throws on a failed call; `get` answers null for an unknown form.
 */
export interface RedFormReader {
  get(taxNo: string, formId: string): Promise<RedFormSnapshot | null>;
  list(taxNo: string): Promise<RedFormSnapshot[]>;
  shutdown?(): void;
}

export const RED_FORM_READER = Symbol('RED_FORM_READER');

/** How often the tracker reads a request again, by where its correction stands (docs/reconcile.md). */
export interface CheckIntervals {
  /** A request without a form, or whose form awaits confirmation (02/03), is read again after this long. */
  pendingCheckMs: number;
  /** A confirmed form (01/04) is read again after this long, until the red invoice resolves the finding. */
  confirmedCheckMs: number;
  /** While a finding is escalated because its form became void (05-10), its taxpayer's forms are read this often for a new one. */
  escalatedCheckMs: number;
}

/** How the correction tracker runs (docs/reconcile.md, "Correction requests"; RECONCILE_CORRECTION_* variables). */
export interface CorrectionTrackingSettings extends CheckIntervals {
  enabled: boolean;
  /** Pause of the worker between two rounds. */
  pollMs: number;
  /** Requests read per round. */
  batchSize: number;
}

export const CORRECTION_TRACKING = Symbol('CORRECTION_TRACKING');
