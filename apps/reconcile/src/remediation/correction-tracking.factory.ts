import { clockFromOffset } from '@lib/common';
import { AuthorityRedFormsReader, providerSettingsFrom } from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';
import { CorrectionTrackingSettings, RedFormReader } from './red-form.port';

/**
 * The authority's red-letter forms, read with the AUTHORITY_* connection (its own breaker); none when the
 * authority is not a configured channel (RECONCILE_AUTHORITY_LIST_ENABLED=false), and then nothing is tracked.
 */
export function createRedFormReader(config: ReconcileConfig): RedFormReader | null {
  if (!config.RECONCILE_AUTHORITY_LIST_ENABLED) return null;
  return new AuthorityRedFormsReader(providerSettingsFrom(config).authority, clockFromOffset(config.CLOCK_OFFSET_MS));
}

/** Tracking runs wherever run workers run (RECONCILE_WORKERS_ENABLED), at the RECONCILE_CORRECTION_* pace; see docs/reconcile.md. */
export function correctionTrackingFrom(config: ReconcileConfig): CorrectionTrackingSettings {
  return {
    enabled: config.RECONCILE_WORKERS_ENABLED,
    pollMs: config.RECONCILE_CORRECTION_POLL_MS,
    pendingCheckMs: config.RECONCILE_CORRECTION_PENDING_CHECK_MS,
    confirmedCheckMs: config.RECONCILE_CORRECTION_CONFIRMED_CHECK_MS,
    escalatedCheckMs: config.RECONCILE_CORRECTION_ESCALATED_CHECK_MS,
    batchSize: config.RECONCILE_CORRECTION_BATCH_SIZE,
  };
}
