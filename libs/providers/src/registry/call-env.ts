import { envInt } from '@lib/common';
import type { TargetEnv } from './target-definition';

type EnvInt = ReturnType<typeof envInt>;
export type CallEnv<P extends string> = Record<
  | `${P}_TIMEOUT_MS`
  | `${P}_BREAKER_ERROR_PERCENT`
  | `${P}_BREAKER_VOLUME`
  | `${P}_BREAKER_RESET_MS`
  | `${P}_BREAKER_WINDOW_MS`,
  EnvInt
>;

/** Timeout and breaker settings of one target, `<PREFIX>_TIMEOUT_MS`, `<PREFIX>_BREAKER_*`. */
export function callEnv<P extends string>(prefix: P, timeoutMs: number): CallEnv<P> {
  return {
    [`${prefix}_TIMEOUT_MS`]: envInt(timeoutMs, 50, 300_000),
    [`${prefix}_BREAKER_ERROR_PERCENT`]: envInt(50, 1, 100),
    [`${prefix}_BREAKER_VOLUME`]: envInt(10, 1, 10_000),
    [`${prefix}_BREAKER_RESET_MS`]: envInt(5_000, 100, 3_600_000),
    [`${prefix}_BREAKER_WINDOW_MS`]: envInt(10_000, 100, 3_600_000),
  } as CallEnv<P>;
}

/** The parsed timeout and breaker of one target (the `ResilientHttpClient` options). */
export function callSettings(env: TargetEnv, prefix: string) {
  const int = (suffix: string) => env[`${prefix}_${suffix}`] as number;
  return {
    timeoutMs: int('TIMEOUT_MS'),
    breaker: {
      errorThresholdPercentage: int('BREAKER_ERROR_PERCENT'),
      volumeThreshold: int('BREAKER_VOLUME'),
      resetTimeoutMs: int('BREAKER_RESET_MS'),
      rollingCountTimeoutMs: int('BREAKER_WINDOW_MS'),
    },
  };
}
