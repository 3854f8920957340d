import { ReconcileConfig } from '../reconcile.config';

/** The rule parameters a comparison uses (from configuration; tests set them directly). */
export interface ReconcileRules {
  visibilityLagMs: number;
  maxReuploads: number;
  lockWithinDays: number;
  offlineNearPercent: number;
}

export const RECONCILE_RULES = Symbol('RECONCILE_RULES');

export function rulesFrom(config: ReconcileConfig): ReconcileRules {
  return {
    visibilityLagMs: config.RECONCILE_VISIBILITY_LAG_MS,
    maxReuploads: config.RECONCILE_MAX_REUPLOADS,
    lockWithinDays: config.RECONCILE_LOCK_WITHIN_DAYS,
    offlineNearPercent: config.RECONCILE_OFFLINE_NEAR_PERCENT,
  };
}
