/** The authority's red-form connection the submitter enters forms through (null: the authority is not a channel). */
export const RED_FORM_SUBMITTER = Symbol('RED_FORM_SUBMITTER');
/** The submitter's pace, claim lease and back-off (CorrectionSubmissionSettings). */
export const CORRECTION_SUBMISSION = Symbol('CORRECTION_SUBMISSION');

export interface CorrectionSubmissionSettings {
  enabled: boolean;
  pollMs: number;
  batchSize: number;
  /** A claimed submission is taken to be abandoned after this long (longer than the call's deadline). */
  leaseMs: number;
  /** Pause before the first retry of a failed or unknown try; doubled per try, at most `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}
