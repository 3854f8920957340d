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

/** The states in which a correction is over: it takes no re-issue any more (409 CORRECTION_ENDED). */
export const ENDED_CORRECTION_STATES: readonly CorrectionState[] = [
  'completed',
  'rejected',
  'refused',
  'void',
  'withdrawn',
  'closed',
];

export function correctionEnded(state: string): boolean {
  return (ENDED_CORRECTION_STATES as readonly string[]).includes(state);
}
