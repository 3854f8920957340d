import type { ServiceName } from './system-harness';

/**
 * The scenario compresses a month into minutes: short retry backoffs and polls, a visibility lag of seconds instead
 * of T+1, no scheduled reconciliation (the scenario asks for each run), a digest window of seconds. Production
 * defaults are in each service's document; nothing here changes behaviour, only time.
 */
export function scenarioEnv(options: {
  reconcileLagMs: number;
  escalationAfterMs?: number;
  digestIntervalMs?: number;
}): Partial<Record<ServiceName, Record<string, string>>> {
  return {
    sync: {
      SYNC_BACKOFF_INITIAL_MS: '500',
      SYNC_BACKOFF_MAX_MS: '5000',
      SYNC_POLL_FIRST_MS: '1000',
      SYNC_POLL_MAX_MS: '3000',
      SYNC_BREAKER_RETRY_MS: '1000',
      SYNC_IDLE_POLL_MS: '100',
      // backlog gauges a second old at most, so that waiting for a quiet system needs seconds less (quiescence.ts)
      SYNC_HOUSEKEEPING_MS: '1000',
      SYNC_SENDING_LEASE_MS: '15000',
      // Nuonuo may answer "not found" for a while after a submit; the sandbox's lag is 1 s, production's minutes.
      NUONUO_NOT_FOUND_GRACE_MS: '15000',
      SYNC_ABSENT_GRACE_MS: '15000',
      AUTHORITY_BREAKER_RESET_MS: '2000',
      // remote 抄报 / 清卡 of hosted devices: every few seconds, retries within seconds
      SYNC_REMOTE_OPS_INTERVAL_MS: '2000',
      SYNC_REMOTE_OPS_BACKOFF_MS: '1000',
    },
    reconcile: {
      RECONCILE_VISIBILITY_LAG_MS: String(options.reconcileLagMs),
      RECONCILE_SCHEDULER_ENABLED: 'false',
      RECONCILE_PULL_MIN_INTERVAL_MS: '0',
      RECONCILE_POLL_MS: '200',
      // red-letter forms: entered within a second of the approval, read again every two seconds
      RECONCILE_CORRECTION_POLL_MS: '1000',
      RECONCILE_CORRECTION_PENDING_CHECK_MS: '2000',
      RECONCILE_CORRECTION_CONFIRMED_CHECK_MS: '2000',
    },
    notifier: {
      NOTIFIER_ESCALATION_AFTER_MS: String(options.escalationAfterMs ?? 3_600_000),
      NOTIFIER_DIGEST_INTERVAL_MS: String(options.digestIntervalMs ?? 10_000),
      NOTIFIER_SCHEDULER_POLL_MS: '1000',
      NOTIFIER_IDLE_POLL_MS: '200',
      NOTIFIER_RATE_LIMIT_SMS: '50',
      NOTIFIER_RATE_LIMIT_EMAIL: '500',
    },
  };
}
