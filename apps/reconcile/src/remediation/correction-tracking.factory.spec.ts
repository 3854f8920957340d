import { loadReconcileConfig } from '../reconcile.config';
import { correctionTrackingFrom } from './correction-tracking.factory';

describe('correctionTrackingFrom', () => {
  it('tracks every minute, pending forms every 15 min, confirmed ones and escalations every hour by default', () => {
    expect(correctionTrackingFrom(loadReconcileConfig({}))).toEqual({
      enabled: true,
      pollMs: 60_000,
      pendingCheckMs: 900_000,
      confirmedCheckMs: 3_600_000,
      escalatedCheckMs: 3_600_000,
      batchSize: 200,
    });
  });

  it('takes the pace from the RECONCILE_CORRECTION_* variables', () => {
    const env = {
      RECONCILE_WORKERS_ENABLED: 'false',
      RECONCILE_CORRECTION_POLL_MS: '5000',
      RECONCILE_CORRECTION_PENDING_CHECK_MS: '300000',
      RECONCILE_CORRECTION_CONFIRMED_CHECK_MS: '7200000',
      RECONCILE_CORRECTION_ESCALATED_CHECK_MS: '86400000',
      RECONCILE_CORRECTION_BATCH_SIZE: '50',
    };
    expect(correctionTrackingFrom(loadReconcileConfig(env))).toEqual({
      enabled: false,
      pollMs: 5_000,
      pendingCheckMs: 300_000,
      confirmedCheckMs: 7_200_000,
      escalatedCheckMs: 86_400_000,
      batchSize: 50,
    });
  });

  it('refuses intervals that would hammer the authority or never come', () => {
    expect(() => loadReconcileConfig({ RECONCILE_CORRECTION_PENDING_CHECK_MS: '500' })).toThrow(
      /RECONCILE_CORRECTION_PENDING_CHECK_MS: must be between 1000 and 86400000/,
    );
    expect(() => loadReconcileConfig({ RECONCILE_CORRECTION_CONFIRMED_CHECK_MS: '999' })).toThrow(
      /RECONCILE_CORRECTION_CONFIRMED_CHECK_MS: must be between 1000 and 604800000/,
    );
    expect(() => loadReconcileConfig({ RECONCILE_CORRECTION_ESCALATED_CHECK_MS: '999999999' })).toThrow(
      /RECONCILE_CORRECTION_ESCALATED_CHECK_MS: must be between 60000 and 604800000/,
    );
    expect(() => loadReconcileConfig({ RECONCILE_CORRECTION_BATCH_SIZE: '0' })).toThrow(
      /RECONCILE_CORRECTION_BATCH_SIZE: must be between 1 and 5000/,
    );
  });
});
