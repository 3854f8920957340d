/**
 * The states of a red-letter correction as reconcile's API shows them (apps/reconcile/src/corrections/correction.model.ts
 * says what each means). Plain constants (no schema library), so that the console's web build imports the same list.
 */
export const CORRECTION_STATES = [
  'proposed',
  'approved',
  'submitted',
  'confirmed',
  'completed',
  'rejected',
  'refused',
  'void',
  'withdrawn',
  'closed',
  'awaiting-form',
] as const;
export type CorrectionState = (typeof CORRECTION_STATES)[number];
