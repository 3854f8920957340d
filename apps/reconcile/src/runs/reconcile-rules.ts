import { ReconcileConfig } from '../reconcile.config';

/** The rule parameters a comparison uses (from configuration; tests set them directly). */
export interface ReconcileRules {
  visibilityLagMs: number;
  maxReuploads: number;
  lockWithinDays: number;
  offlineNearPercent: number;
  /** Quiet devices of the period in filing are judged from this many days before its deadline (default 3). */
  quietDaysBeforeDeadline?: number;
  /** DEVICE_SILENT when the last reading is older than this % of the offline hours limit (default 80). */
  silentPercent?: number;
  /** RECONCILIATION_INCOMPLETE after the scope's runs ended incomplete for this long (default 12 h)… */
  incompleteAlertAfterMs?: number;
  /** …or at all within this many days of the filing deadline (default 2). */
  incompleteAlertDays?: number;
  /** Missing-data findings a maintenance window explains wait until its end plus this (default 4 h). */
  maintenanceGraceMs?: number;
}

/** The defaults of the optional rules (those of reconcile.config.ts), for rules built by hand (tests). */
export const QUIET_RULE_DEFAULTS = {
  quietDaysBeforeDeadline: 3,
  silentPercent: 80,
  incompleteAlertAfterMs: 43_200_000,
  incompleteAlertDays: 2,
  maintenanceGraceMs: 14_400_000,
} as const satisfies Required<
  Pick<ReconcileRules, 'quietDaysBeforeDeadline' | 'silentPercent' | 'incompleteAlertAfterMs' | 'incompleteAlertDays' | 'maintenanceGraceMs'>
>;

export const RECONCILE_RULES = Symbol('RECONCILE_RULES');

export function rulesFrom(config: ReconcileConfig): ReconcileRules {
  return {
    visibilityLagMs: config.RECONCILE_VISIBILITY_LAG_MS,
    maxReuploads: config.RECONCILE_MAX_REUPLOADS,
    lockWithinDays: config.RECONCILE_LOCK_WITHIN_DAYS,
    offlineNearPercent: config.RECONCILE_OFFLINE_NEAR_PERCENT,
    quietDaysBeforeDeadline: config.RECONCILE_QUIET_DAYS_BEFORE_DEADLINE,
    silentPercent: config.RECONCILE_SILENT_PERCENT,
    incompleteAlertAfterMs: config.RECONCILE_INCOMPLETE_ALERT_AFTER_MS,
    incompleteAlertDays: config.RECONCILE_INCOMPLETE_ALERT_DAYS,
    maintenanceGraceMs: config.RECONCILE_MAINTENANCE_GRACE_MS,
  };
}
