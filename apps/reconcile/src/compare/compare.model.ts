import { MaintenanceSpan } from '../maintenance/maintenance-hold.rules';
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
  /**
   * From when the period's quiet devices are judged (REPORT_MISSING, CLEAR_CARD_MISSING, DEVICE_SILENT): the start of
   * the day RECONCILE_QUIET_DAYS_BEFORE_DEADLINE days before the filing deadline (domain calendar), Asia/Shanghai.
   */
  quietFrom: Date;
  /** A device whose last reading is older than this % of its offline hours limit is DEVICE_SILENT (current period). */
  silentPercent: number;
  /** Why this run ends incomplete (run-reconciliation's incompleteReason); null when its pull listed the whole period. */
  incompleteReason: string | null;
  /** RECONCILIATION_INCOMPLETE once the scope's runs have ended incomplete for this long… */
  incompleteAlertAfterMs: number;
  /** …or at all from this instant on (RECONCILE_INCOMPLETE_ALERT_DAYS days before the filing deadline). */
  incompleteNearFrom: Date;
  /**
   * Scheduled maintenance windows of the taxpayer that began by `now` and hold (end + grace) past the series of
   * incomplete runs (docs/maintenance.md): missing-data findings they explain wait; none when absent.
   */
  maintenance?: readonly MaintenanceSpan[];
}

/** Discrepancy types besides the finding types: invoices within their grace period (not findings). */
export const PENDING_VISIBILITY = 'PENDING_VISIBILITY';

