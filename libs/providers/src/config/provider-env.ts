import { z } from 'zod';
import { ConfigError, envBool, envInt, envString } from '@lib/common';
import { AuthorityConnection } from '../authority/authority.client';
import { BaiwangConnection } from '../baiwang/baiwang.gateway';
import { NuonuoConnection } from '../nuonuo/nuonuo.gateway';
import { productionProviderProblems, SANDBOX_AUTHORITY } from './provider-production';

type EnvInt = ReturnType<typeof envInt>;
type CallEnv<P extends string> = Record<
  | `${P}_TIMEOUT_MS`
  | `${P}_BREAKER_ERROR_PERCENT`
  | `${P}_BREAKER_VOLUME`
  | `${P}_BREAKER_RESET_MS`
  | `${P}_BREAKER_WINDOW_MS`,
  EnvInt
>;

/** Timeout and breaker settings of one target, `<PREFIX>_TIMEOUT_MS`, `<PREFIX>_BREAKER_*`. */
function callEnv<P extends string>(prefix: P, timeoutMs: number): CallEnv<P> {
  return {
    [`${prefix}_TIMEOUT_MS`]: envInt(timeoutMs, 50, 300_000),
    [`${prefix}_BREAKER_ERROR_PERCENT`]: envInt(50, 1, 100),
    [`${prefix}_BREAKER_VOLUME`]: envInt(10, 1, 10_000),
    [`${prefix}_BREAKER_RESET_MS`]: envInt(5_000, 100, 3_600_000),
    [`${prefix}_BREAKER_WINDOW_MS`]: envInt(10_000, 100, 3_600_000),
  } as CallEnv<P>;
}

/**
 * Environment of the provider adapters (base URLs, credentials, timeouts, breakers), shared by every
 * service that talks to the targets. The authority defaults to the local sandbox and its development
 * credentials (refused with NODE_ENV=production); Baiwang and Nuonuo are off until their base URL is set.
 */
export const providerEnvShape = {
  /** `production` refuses the sandbox defaults and plain-http targets (provider-production.ts). */
  NODE_ENV: envString('development'),
  /** Production only: accept http target URLs (an egress proxy on a network you trust). */
  TARGETS_ALLOW_PLAIN_HTTP: envBool(false),
  AUTHORITY_BASE_URL: envString(SANDBOX_AUTHORITY.AUTHORITY_BASE_URL),
  AUTHORITY_APP_ID: envString(SANDBOX_AUTHORITY.AUTHORITY_APP_ID),
  AUTHORITY_APP_SECRET: envString(SANDBOX_AUTHORITY.AUTHORITY_APP_SECRET),
  ...callEnv('AUTHORITY', 5_000),
  BAIWANG_BASE_URL: envString(''),
  BAIWANG_APP_KEY: envString(''),
  BAIWANG_APP_SECRET: envString(''),
  BAIWANG_USERNAME: envString(''),
  BAIWANG_PASSWORD: envString(''),
  BAIWANG_TOKEN_REFRESH_MARGIN_MS: envInt(300_000, 0, 86_400_000),
  ...callEnv('BAIWANG', 8_000),
  NUONUO_BASE_URL: envString(''),
  NUONUO_APP_KEY: envString(''),
  NUONUO_APP_SECRET: envString(''),
  NUONUO_TOKEN_REFRESH_MARGIN_MS: envInt(1_800_000, 0, 86_400_000),
  NUONUO_TOKEN_QUOTA_RETRY_MS: envInt(3_600_000, 1_000, 7 * 86_400_000),
  NUONUO_NOT_FOUND_GRACE_MS: envInt(600_000, 0, 86_400_000),
  ...callEnv('NUONUO', 8_000),
};

export const providerEnvSchema = z.object(providerEnvShape);
export type ProviderEnv = z.infer<typeof providerEnvSchema>;

export interface ProviderSettings {
  authority: AuthorityConnection;
  baiwang?: BaiwangConnection;
  nuonuo?: NuonuoConnection & { notFoundGraceMs: number };
}

function call(env: ProviderEnv, prefix: 'AUTHORITY' | 'BAIWANG' | 'NUONUO') {
  return {
    timeoutMs: env[`${prefix}_TIMEOUT_MS`],
    breaker: {
      errorThresholdPercentage: env[`${prefix}_BREAKER_ERROR_PERCENT`],
      volumeThreshold: env[`${prefix}_BREAKER_VOLUME`],
      resetTimeoutMs: env[`${prefix}_BREAKER_RESET_MS`],
      rollingCountTimeoutMs: env[`${prefix}_BREAKER_WINDOW_MS`],
    },
  };
}

/**
 * The adapters' connections from the parsed environment; a platform with a base URL must have all its credentials, and
 * a production start no sandbox default nor plain-http target.
 */
export function providerSettingsFrom(env: ProviderEnv): ProviderSettings {
  const missing = (names: (keyof ProviderEnv)[]) => names.filter((name) => env[name] === '');
  const unset: string[] = missing(['AUTHORITY_BASE_URL', 'AUTHORITY_APP_ID', 'AUTHORITY_APP_SECRET']);
  if (env.BAIWANG_BASE_URL)
    unset.push(...missing(['BAIWANG_APP_KEY', 'BAIWANG_APP_SECRET', 'BAIWANG_USERNAME', 'BAIWANG_PASSWORD']));
  if (env.NUONUO_BASE_URL) unset.push(...missing(['NUONUO_APP_KEY', 'NUONUO_APP_SECRET']));
  const problems = unset.map((name) => `${name}: required (currently unset)`);
  if (env.NODE_ENV === 'production') problems.push(...productionProviderProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    authority: {
      baseURL: env.AUTHORITY_BASE_URL,
      appId: env.AUTHORITY_APP_ID,
      appSecret: env.AUTHORITY_APP_SECRET,
      ...call(env, 'AUTHORITY'),
    },
    baiwang: env.BAIWANG_BASE_URL
      ? {
          baseURL: env.BAIWANG_BASE_URL,
          appKey: env.BAIWANG_APP_KEY,
          appSecret: env.BAIWANG_APP_SECRET,
          username: env.BAIWANG_USERNAME,
          password: env.BAIWANG_PASSWORD,
          tokenRefreshMarginMs: env.BAIWANG_TOKEN_REFRESH_MARGIN_MS,
          ...call(env, 'BAIWANG'),
        }
      : undefined,
    nuonuo: env.NUONUO_BASE_URL
      ? {
          baseURL: env.NUONUO_BASE_URL,
          appKey: env.NUONUO_APP_KEY,
          appSecret: env.NUONUO_APP_SECRET,
          tokenRefreshMarginMs: env.NUONUO_TOKEN_REFRESH_MARGIN_MS,
          tokenQuotaRetryMs: env.NUONUO_TOKEN_QUOTA_RETRY_MS,
          notFoundGraceMs: env.NUONUO_NOT_FOUND_GRACE_MS,
          ...call(env, 'NUONUO'),
        }
      : undefined,
  };
}
