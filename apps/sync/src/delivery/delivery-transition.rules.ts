import { AttemptResult, ClaimedDelivery, DeliveryUpdate } from './delivery.model';
import { deferDelayMs, pollDelayMs, retryDelayMs, RetryPolicy } from './retry.policy';

/**
 * The next state of a claimed delivery, given what the attempt came to. Pure (time and randomness are
 * passed in), so every scheduling rule is unit-tested:
 * - accepted / rejected: final;
 * - pending (the target finishes later): poll, first after pollFirstMs; dead after pendingMaxMs;
 * - failed: retry with backoff and jitter (respecting Retry-After), after an `unknown` failure the
 *   next try looks the delivery up before any resend; dead after maxAttempts;
 * - deferred (breaker open): retry soon, not counted;
 * - reissue: the target dropped it for good: a new serial (generation) and an upload at once;
 * - relay: wait for the platform delivery that carries it to the authority.
 */
export function nextDeliveryState(
  delivery: ClaimedDelivery,
  result: AttemptResult,
  counted: boolean,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): DeliveryUpdate {
  const attempts = delivery.attempts + (counted ? 1 : 0);
  const base: DeliveryUpdate = {
    status: 'pending',
    dueAt: null,
    attempts,
    polls: delivery.polls,
    needsLookup: delivery.needsLookup,
    pendingSince: delivery.pendingSince,
    generation: delivery.generation,
    waitingFor: null,
    relayVia: null,
    targetRecordId: null,
    errorCode: null,
    errorMessage: null,
    completedAt: null,
  };
  const at = (ms: number) => new Date(now.getTime() + ms);
  switch (result.kind) {
    case 'accepted':
      return { ...base, status: 'accepted', needsLookup: false, pendingSince: null, targetRecordId: result.targetRecordId ?? null, completedAt: now };
    case 'rejected':
      return { ...base, status: 'rejected', needsLookup: false, errorCode: result.code, errorMessage: result.message, completedAt: now };
    case 'pending': {
      const pendingSince = delivery.pendingSince ?? now;
      if (now.getTime() - pendingSince.getTime() >= policy.pendingMaxMs) {
        return dead(base, now, 'PENDING_TIMEOUT', `the target still reports the invoice as in progress after ${policy.pendingMaxMs} ms`);
      }
      const polls = delivery.polls + (delivery.pendingSince ? 1 : 0);
      return { ...base, polls, needsLookup: false, pendingSince, targetRecordId: result.targetRecordId ?? null, dueAt: at(pollDelayMs(polls, policy)) };
    }
    case 'failed': {
      const needsLookup = delivery.needsLookup || result.failure === 'unknown';
      if (attempts >= policy.maxAttempts) return { ...dead(base, now, result.code, result.message), needsLookup };
      return { ...base, needsLookup, errorCode: result.code, errorMessage: result.message, dueAt: at(retryDelayMs(attempts, policy, result.retryAfterMs, random)) };
    }
    case 'deferred':
      return { ...base, errorCode: result.code, errorMessage: 'not attempted: the circuit breaker is open', dueAt: at(deferDelayMs(policy, result.retryAfterMs, random)) };
    case 'reissue':
      if (attempts >= policy.maxAttempts) return dead(base, now, result.code, result.message);
      return { ...base, generation: delivery.generation + 1, needsLookup: false, pendingSince: null, polls: 0, errorCode: result.code, errorMessage: result.message, dueAt: now };
    case 'relay':
      return { ...base, waitingFor: 'relay', relayVia: result.via, errorCode: 'AUTHORITY_UNAVAILABLE', errorMessage: `relaying through ${result.via}` };
  }
}

function dead(base: DeliveryUpdate, now: Date, code: string, message: string): DeliveryUpdate {
  return { ...base, status: 'dead', dueAt: null, errorCode: code, errorMessage: message, completedAt: now };
}
