import { PullCoverage } from '../pull/pull-coverage';

/** What one comparison needs besides the staged pull: the scope, the time, and the rules' parameters. */
export interface CompareParams {
  runId: string;
  taxNo: string;
  period: string;
  now: Date;
  /** The authority's visibility lag: a change younger than this may not be visible yet. */
  visibilityLagMs: number;
  /** True when a listing channel returned the whole period (coverage `listed`): every MISSING_* is evaluated. */
  pullComplete: boolean;
  /**
   * What the pull can prove. `per-invoice` (each ledger invoice checked one by one, authority_checks):
   * MISSING_IN_AUTHORITY only for the invoices the run's checks found absent (or pending), never
   * MISSING_IN_LEDGER. Null: the pull did not finish and nothing can be proven missing.
   */
  coverage: PullCoverage | null;
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

