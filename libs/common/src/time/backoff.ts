export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  multiplier: number;
  /** 0..1: how much of the delay is randomised ("full jitter" at 1). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 30_000, multiplier: 2, jitter: 0.5 };

/** Delay before attempt `attempt` (1-based: the delay after the first failure is attempt 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.multiplier, Math.max(0, attempt - 1)));
  const jitter = exp * policy.jitter * random();
  return Math.round(exp - jitter);
}
