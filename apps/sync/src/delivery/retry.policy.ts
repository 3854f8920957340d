import { BackoffPolicy, backoffDelay } from '@lib/common';
import { SyncConfig } from '../sync.config';

/** How deliveries are retried and polled (from configuration). */
export interface RetryPolicy {
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Delay after a call refused by an open breaker (not an attempt). */
  breakerRetryMs: number;
  pollFirstMs: number;
  pollMaxMs: number;
  pendingMaxMs: number;
  absentGraceMs: number;
}

export const RETRY_POLICY = Symbol('RETRY_POLICY');

export function retryPolicyFrom(config: SyncConfig): RetryPolicy {
  return {
    maxAttempts: config.SYNC_MAX_ATTEMPTS,
    backoff: {
      initialMs: config.SYNC_BACKOFF_INITIAL_MS,
      maxMs: config.SYNC_BACKOFF_MAX_MS,
      multiplier: config.SYNC_BACKOFF_MULTIPLIER,
      jitter: config.SYNC_BACKOFF_JITTER_PERCENT / 100,
    },
    breakerRetryMs: config.SYNC_BREAKER_RETRY_MS,
    pollFirstMs: config.SYNC_POLL_FIRST_MS,
    pollMaxMs: config.SYNC_POLL_MAX_MS,
    pendingMaxMs: config.SYNC_PENDING_MAX_MS,
    absentGraceMs: config.SYNC_ABSENT_GRACE_MS,
  };
}

/**
 * Delay before the next try after `attempts` failed attempts: exponential with jitter (so a recovered
 * target is not hit by every delivery at once), never earlier than the target asked (Retry-After).
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  return Math.max(backoffDelay(attempts, policy.backoff, random), retryAfterMs ?? 0);
}

/** Delay before polling a target that answered "pending" (`polls` polls so far): first after pollFirstMs, then doubling. */
export function pollDelayMs(polls: number, policy: RetryPolicy): number {
  if (polls <= 0) return policy.pollFirstMs;
  return Math.min(policy.pollMaxMs, Math.max(policy.pollFirstMs, 500) * Math.pow(2, polls));
}

/** A breaker-open refusal: retry soon, spread a little so a whole backlog does not wake at the same instant. */
export function deferDelayMs(policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  return Math.max(Math.round(policy.breakerRetryMs * (0.75 + random() * 0.5)), retryAfterMs ?? 0);
}
