import { z } from 'zod';
import {
  ConfigError,
  envBool,
  envInt,
  envList,
  envString,
  loadConfig,
  productionTokenCheck,
} from '@lib/common';
import { parseMasterKeys, serviceEnvSchema } from '@lib/platform';
import {
  AnyTargetDefinition,
  checkProviderEnv,
  providerEnvShape,
  providerEnvShapeOf,
  TargetRegistry,
  targetRegistry,
} from '@lib/providers';

/** Registered platforms only (checked when the configuration is loaded, so registered targets count). */
const platformList = envList([]).pipe(
  z.array(
    z
      .string()
      .refine((name) => !targetRegistry.isQueryOnly(name), {
        message: 'is a query channel (PLATFORM_QUERY_ONLY): nothing is delivered to it, see docs/sync.md',
      })
      .refine((name) => targetRegistry.isPlatform(name), { message: 'must be a registered platform' }),
  ),
);

/**
 * Everything sync reads besides the base service variables (docs/sync.md lists them). Delivery
 * tuning has safe defaults so a bare `npm run start:sync` works against the local sandbox.
 */
export const syncEnvSchema = serviceEnvSchema('sync').extend({
  /** Bearer token of the admin API; empty disables the admin API (every call answers 401). */
  SYNC_ADMIN_TOKEN: envString(''),
  /**
   * `k1:<base64 of 32 bytes>,k2:...`: AES-256-GCM keys sealing the platform access and refresh tokens at rest
   * (docs/sync.md, "Platform tokens"). Required in production; unset elsewhere, platform tokens can be neither
   * stored nor read (SECRET_STORE_DISABLED) and Baiwang / Nuonuo calls fail until keys are set.
   */
  SYNC_MASTER_KEYS: envString(''),
  /** The key new tokens are sealed with; required when SYNC_MASTER_KEYS holds several keys. */
  SYNC_ACTIVE_KEY_ID: envString(''),
  SYNC_WORKERS_ENABLED: envBool(true),
  SYNC_MAX_ATTEMPTS: envInt(8, 1, 100),
  SYNC_BACKOFF_INITIAL_MS: envInt(1_000, 1, 3_600_000),
  SYNC_BACKOFF_MAX_MS: envInt(300_000, 1, 86_400_000),
  SYNC_BACKOFF_MULTIPLIER: envInt(2, 1, 10),
  SYNC_BACKOFF_JITTER_PERCENT: envInt(50, 0, 100),
  /** How long a claimed delivery stays `sending` before another worker may take it over (after a crash). */
  SYNC_SENDING_LEASE_MS: envInt(60_000, 1_000, 3_600_000),
  /** Pause before a delivery refused by an open breaker is tried again (it is not counted as an attempt). */
  SYNC_BREAKER_RETRY_MS: envInt(2_000, 10, 600_000),
  SYNC_IDLE_POLL_MS: envInt(250, 10, 60_000),
  /**
   * How often housekeeping runs: releases deliveries whose predecessor was delivered, settles overlooked relays
   * and refreshes the backlog gauges (`sync_deliveries_backlog` and its kin are at most this old).
   */
  SYNC_HOUSEKEEPING_MS: envInt(5_000, 100, 600_000),
  SYNC_POLL_FIRST_MS: envInt(4_000, 0, 600_000),
  SYNC_POLL_MAX_MS: envInt(30_000, 100, 3_600_000),
  /** A target that keeps answering "pending" this long makes the delivery dead (PENDING_TIMEOUT). */
  SYNC_PENDING_MAX_MS: envInt(1_800_000, 1_000, 86_400_000),
  /** "Absent" within this long after a "pending" answer still means pending (Nuonuo: 10 min). */
  SYNC_ABSENT_GRACE_MS: envInt(600_000, 0, 86_400_000),
  /** Platforms of a taxpayer without a routing row (the authority is always a target). */
  SYNC_DEFAULT_PLATFORMS: platformList,
  SYNC_DEFAULT_FAILOVER: envBool(false),
  /**
   * Remote 抄报 / 清卡 of hosted devices (docs/sync.md "Remote operations"): how often the scheduler plans and runs
   * the open filing period's jobs; 0 switches the scheduler off (the API still answers).
   */
  SYNC_REMOTE_OPS_INTERVAL_MS: envInt(300_000, 0, 86_400_000),
  /** First pause after a transient (retriable) failure; it doubles with every failure in a row, capped at 2 hours. */
  SYNC_REMOTE_OPS_BACKOFF_MS: envInt(60_000, 1, 7_200_000),
  /** Transient failures in a row after which a failed device.clear-card is recorded (once; retries go on). */
  SYNC_REMOTE_OPS_ATTEMPTS_BEFORE_ALERT: envInt(4, 1, 100),
  /** How often a job that waits for a person (non-retriable failure) is looked at again by itself. */
  SYNC_REMOTE_OPS_RECHECK_MS: envInt(21_600_000, 60_000, 604_800_000),
  /** Our own deadline on each call to a platform (status, report, clear), above the adapter's own. */
  SYNC_REMOTE_OPS_CALL_TIMEOUT_MS: envInt(60_000, 100, 600_000),
  /**
   * How long a claimed job belongs to one replica before another may take it over (its outcome is then unknown:
   * the platform's status is asked first). At least four call timeouts are used whatever is set.
   */
  SYNC_REMOTE_OPS_LEASE_MS: envInt(300_000, 1_000, 3_600_000),
  /** Jobs run at the same time by one replica. */
  SYNC_REMOTE_OPS_CONCURRENCY: envInt(4, 1, 64),
  /** The built-in targets' base URLs, credentials, timeouts and breakers (AUTHORITY_*, BAIWANG_*, ...; docs/sync.md). */
  ...providerEnvShape,
});

/** `SYNC_CONCURRENCY_<PREFIX>`: deliveries in flight to one target, its definition's `concurrency` by default. */
const concurrencyVariable = (target: AnyTargetDefinition) => `SYNC_CONCURRENCY_${target.envPrefix}`;

/** Sync's variables; a registered target's own (and its `SYNC_CONCURRENCY_<PREFIX>`) are read by name. */
export type SyncConfig = z.infer<typeof syncEnvSchema> & Readonly<Record<string, unknown>>;

/** Every registered target's variables and concurrency, on top of sync's own. */
function syncEnvSchemaOf(registry: TargetRegistry) {
  const perTarget = registry.all().map((t) => ({ [concurrencyVariable(t)]: envInt(t.concurrency, 1, 1000) }));
  const tokenCheck = productionTokenCheck<SyncConfig>('SYNC_ADMIN_TOKEN');
  return z
    .object({
      ...syncEnvSchema.shape,
      ...providerEnvShapeOf(registry),
      ...(Object.assign({}, ...perTarget) as z.ZodRawShape),
    })
    .superRefine((env, ctx) => tokenCheck(env as SyncConfig, ctx));
}

export function loadSyncConfig(
  env: NodeJS.ProcessEnv = process.env,
  registry: TargetRegistry = targetRegistry,
): SyncConfig {
  const config = loadConfig(syncEnvSchemaOf(registry), env) as SyncConfig;
  const keyProblems = masterKeyProblems(config);
  try {
    checkProviderEnv(config, registry); // a platform with a base URL but missing credentials stops the service here
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError([...error.problems, ...keyProblems]) : error;
  }
  if (keyProblems.length > 0) throw new ConfigError(keyProblems);
  return config;
}

/** A malformed key ring stops any start; a production start also needs keys (no plaintext tokens, no default key). */
function masterKeyProblems(config: SyncConfig): string[] {
  const parsed = parseMasterKeys(config.SYNC_MASTER_KEYS, config.SYNC_ACTIVE_KEY_ID, 'SYNC_ACTIVE_KEY_ID');
  if (!parsed.ok) return [`SYNC_MASTER_KEYS: ${parsed.problem} (currently set (hidden))`];
  if (!parsed.ring && config.NODE_ENV === 'production')
    return ['SYNC_MASTER_KEYS: required in production, k1:<base64 of 32 bytes> (currently unset)'];
  return [];
}

export function concurrencyOf(config: SyncConfig, target: AnyTargetDefinition): number {
  return config[concurrencyVariable(target)] as number;
}
