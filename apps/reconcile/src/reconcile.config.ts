import { z } from 'zod';
import { envBool, envInt, envString, loadConfig, productionTokenCheck } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';
import { providerEnvShape } from '@lib/providers';

/** Everything reconcile reads besides the base service variables (docs/reconcile.md lists them). */
export const reconcileEnvSchema = serviceEnvSchema('reconcile').extend({
  /** Token of the API service account `api-token` (role finance-manager); empty: no such account (people still sign in). */
  RECONCILE_API_TOKEN: envString(''),
  /** How long after acceptance an invoice may still be invisible at the authority (T+1). */
  RECONCILE_VISIBILITY_LAG_MS: envInt(86_400_000, 0, 30 * 86_400_000),
  /** Re-uploads of an invoice the authority does not show before the finding is escalated. */
  RECONCILE_MAX_REUPLOADS: envInt(3, 0, 20),
  RECONCILE_LOCK_WITHIN_DAYS: envInt(7, 0, 365),
  RECONCILE_OFFLINE_NEAR_PERCENT: envInt(80, 1, 100),
  /** Quiet devices (REPORT_MISSING, CLEAR_CARD_MISSING, DEVICE_SILENT) of the period in filing from this many days before its deadline. */
  RECONCILE_QUIET_DAYS_BEFORE_DEADLINE: envInt(3, 0, 31),
  /** DEVICE_SILENT in the current period when a device's last monitor reading is older than this % of its offline hours limit. */
  RECONCILE_SILENT_PERCENT: envInt(80, 1, 100),
  /** RECONCILIATION_INCOMPLETE when a scope's runs since its last complete one have all ended incomplete for this long… */
  RECONCILE_INCOMPLETE_ALERT_AFTER_MS: envInt(43_200_000, 0, 30 * 86_400_000),
  /** …or at all within this many days of the period's filing deadline. */
  RECONCILE_INCOMPLETE_ALERT_DAYS: envInt(2, 0, 31),
  /** Missing-data findings a maintenance window explains wait until its end plus this (docs/maintenance.md). */
  RECONCILE_MAINTENANCE_GRACE_MS: envInt(14_400_000, 0, 7 * 86_400_000),
  RECONCILE_WORKERS_ENABLED: envBool(true),
  RECONCILE_SCHEDULER_ENABLED: envBool(true),
  RECONCILE_POLL_MS: envInt(1_000, 10, 60_000),
  /** Every active scope is reconciled this often, and every RECONCILE_FILING_INTERVAL_MS from the 1st to the filing deadline. */
  RECONCILE_INTERVAL_MS: envInt(3_600_000, 1_000, 7 * 86_400_000),
  RECONCILE_FILING_INTERVAL_MS: envInt(900_000, 1_000, 7 * 86_400_000),
  RECONCILE_PULL_PAGE_SIZE: envInt(1_000, 1, 1_000),
  /** Minimum pause between two page requests to one channel (the authority's rate limit). */
  RECONCILE_PULL_MIN_INTERVAL_MS: envInt(100, 0, 60_000),
  /** Attempts per page before the pull moves to the next channel. */
  RECONCILE_PULL_PAGE_ATTEMPTS: envInt(3, 1, 20),
  RECONCILE_PULL_BACKOFF_MS: envInt(500, 0, 600_000),
  /** A running run whose worker stopped renewing this lease is taken over (and resumes from its page token). */
  RECONCILE_RUN_LEASE_MS: envInt(120_000, 1_000, 3_600_000),
  /** Whether the authority's list (AUTHORITY_* connection) is a pull channel; off, every run ends incomplete. */
  RECONCILE_AUTHORITY_LIST_ENABLED: envBool(true),
  /**
   * Per-invoice channels asked, in this order, when no listing channel answered (comma-separated; `none`: no per-invoice pull):
   * `baiwang-query` (Baiwang upload query), `authority-verify` (the authority's 查验), `baiwang-validate` (查验 through Baiwang).
   */
  RECONCILE_PER_INVOICE_CHANNELS: envString('baiwang-query,authority-verify,baiwang-validate'),
  /** Minimum pause between two per-invoice calls (the platforms' rate limits). */
  RECONCILE_CHECK_MIN_INTERVAL_MS: envInt(100, 0, 60_000),
  /** Invoices one per-invoice pull asks about at most; beyond, the pull stops (incomplete, with the key it stopped at). */
  RECONCILE_PER_INVOICE_MAX_CHECKS: envInt(10_000, 1, 10_000_000),
  /**
   * A per-invoice pull reuses an earlier run's conclusive answer younger than this instead of asking again (the 查验 quota is a
   * few checks per invoice per day), while the ledger invoice is unchanged; absent/pending ones at most one visibility lag. 0: never.
   */
  RECONCILE_CHECK_REUSE_MS: envInt(21_600_000, 0, 7 * 86_400_000),
  /** Correction tracking (red-letter forms): pause between rounds, and requests read per round. */
  RECONCILE_CORRECTION_POLL_MS: envInt(60_000, 1_000, 3_600_000),
  RECONCILE_CORRECTION_BATCH_SIZE: envInt(200, 1, 5_000),
  /**
   * A request without a form, or whose form awaits confirmation (02/03), is read again after this long. Down to a second,
   * as the other polls, so that a scenario compressing a month into minutes can follow a form through.
   */
  RECONCILE_CORRECTION_PENDING_CHECK_MS: envInt(900_000, 1_000, 86_400_000),
  /** A confirmed form (01/04) is read again after this long, until the red invoice resolves the finding. */
  RECONCILE_CORRECTION_CONFIRMED_CHECK_MS: envInt(3_600_000, 1_000, 7 * 86_400_000),
  /** A finding escalated because its form became void: its taxpayer's forms are read this often for a new form. */
  RECONCILE_CORRECTION_ESCALATED_CHECK_MS: envInt(3_600_000, 60_000, 7 * 86_400_000),
  /**
   * Devices whose clear-card one run asks the authority about at most (those with an authority number, 机器编号);
   * the others are judged on their own report, as without a number. 0: never ask.
   */
  RECONCILE_CLEAR_CARD_CHECKS_MAX: envInt(200, 0, 100_000),
  /** Minimum pause between two clear-card status calls to the authority (its rate limit). */
  RECONCILE_CLEAR_CARD_MIN_INTERVAL_MS: envInt(100, 0, 60_000),
  /**
   * Guided device resets (docs/device-operations.md, "Guided reset"): the device gateway's admin API, called with the
   * person's own access token. Unset: a reset cannot be started (503 GATEWAY_NOT_CONFIGURED). Each call has this
   * deadline, is tried this many times when it safely can be, and goes through its own breaker (`device-gateway`).
   */
  RECONCILE_GATEWAY_URL: envString('').pipe(z.union([z.literal(''), z.url({ message: 'must be a URL' })])),
  RECONCILE_GATEWAY_TIMEOUT_MS: envInt(5_000, 100, 120_000),
  RECONCILE_GATEWAY_ATTEMPTS: envInt(2, 1, 5),
  RECONCILE_GATEWAY_BREAKER_RESET_MS: envInt(10_000, 100, 600_000),
  /** Received invoices (docs/received-invoices.md): 查验 channels in order (`authority`, `baiwang`), each invoice's daily checks per channel. */
  RECONCILE_RECEIVED_CHANNELS: envString('authority,baiwang'),
  RECONCILE_RECEIVED_DAILY_QUOTA: envInt(5, 0, 100),
  /** The scheduled re-check of the open periods' received invoices: on/off, pause between rounds, invoices per round, and after how long a checked one is asked again. */
  RECONCILE_RECEIVED_RECHECK_ENABLED: envBool(true),
  RECONCILE_RECEIVED_RECHECK_POLL_MS: envInt(60_000, 10, 3_600_000),
  RECONCILE_RECEIVED_RECHECK_BATCH: envInt(50, 1, 1_000),
  RECONCILE_RECEIVED_RECHECK_AFTER_MS: envInt(86_400_000, 60_000, 30 * 86_400_000),
  ...providerEnvShape,
});

export type ReconcileConfig = z.infer<typeof reconcileEnvSchema>;
export const loadReconcileConfig = (env: NodeJS.ProcessEnv = process.env): ReconcileConfig =>
  loadConfig(reconcileEnvSchema.superRefine(productionTokenCheck('RECONCILE_API_TOKEN')), env);
