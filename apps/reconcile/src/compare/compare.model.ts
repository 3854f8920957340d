/** What one comparison needs besides the staged pull: the scope, the time, and the rules' parameters. */
export interface CompareParams {
  runId: string;
  taxNo: string;
  period: string;
  now: Date;
  /** The authority's visibility lag: a change younger than this may not be visible yet. */
  visibilityLagMs: number;
  /** False when the pull did not finish: no MISSING_* is evaluated. */
  pullComplete: boolean;
  /** First instant after the period's filing deadline (domain calendar). */
  filingClosesAt: Date;
  /** The filing deadline day, Asia/Shanghai, for explanations. */
  filingDeadline: string;
  /** Lock and offline limits describe the device now: evaluated only in runs of the current period. */
  currentPeriod: boolean;
  lockWithinDays: number;
  offlineNearPercent: number;
}

/** Discrepancy types besides the finding types: invoices within their grace period (not findings). */
export const PENDING_VISIBILITY = 'PENDING_VISIBILITY';

