import { SystemClock } from '@lib/common';
import { AuthorityRedFormsReader, providerSettingsFrom } from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';
import { CorrectionTrackingSettings, DEFAULT_CORRECTION_TRACKING, RedFormReader } from './red-form.port';

/**
 * The authority's red-letter forms, read with the AUTHORITY_* connection (its own breaker); none when the
 * authority is not a configured channel (RECONCILE_AUTHORITY_LIST_ENABLED=false), and then nothing is tracked.
 */
export function createRedFormReader(config: ReconcileConfig): RedFormReader | null {
  if (!config.RECONCILE_AUTHORITY_LIST_ENABLED) return null;
  return new AuthorityRedFormsReader(providerSettingsFrom(config).authority, new SystemClock());
}

/** Tracking runs wherever run workers run (RECONCILE_WORKERS_ENABLED), every minute; see docs/reconcile.md. */
export function correctionTrackingFrom(config: ReconcileConfig): CorrectionTrackingSettings {
  return { enabled: config.RECONCILE_WORKERS_ENABLED, ...DEFAULT_CORRECTION_TRACKING };
}
