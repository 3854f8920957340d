import { claimed, POLICY } from '../../test/support/claimed-delivery.fixture';
import { nextDeliveryState } from './delivery-transition.rules';
import { pollDelayMs, retryDelayMs } from './retry.policy';

const NOW = new Date('2026-01-01T00:10:00Z');
const ms = (d: Date | null) => (d ? d.getTime() - NOW.getTime() : null);
const noJitter = () => 0;

describe('retry scheduling', () => {
  it('backs off exponentially, with jitter that only ever shortens the delay, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, POLICY, undefined, noJitter))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(3, POLICY, undefined, () => 0.999)).toBeGreaterThanOrEqual(2_000);
    expect(retryDelayMs(30, POLICY, undefined, noJitter)).toBe(60_000);
  });

  it('never retries before the target asked (Retry-After, E9613 until tomorrow)', () => {
    expect(retryDelayMs(1, POLICY, 45_000, noJitter)).toBe(45_000);
    const update = nextDeliveryState(
      claimed(),
      { kind: 'failed', failure: 'not_sent', code: 'RATE_LIMITED', message: '429', retryAfterMs: 45_000 },
      true,
      POLICY,
      NOW,
      noJitter,
    );
    expect(ms(update.dueAt)).toBe(45_000);
    expect(update).toMatchObject({ status: 'pending', attempts: 1, needsLookup: false, errorCode: 'RATE_LIMITED' });
  });

  it('looks up before the next try after an unknown outcome, and keeps looking up until it knows', () => {
    const after = nextDeliveryState(claimed(), { kind: 'failed', failure: 'unknown', code: 'TIMEOUT', message: 't' }, true, POLICY, NOW, noJitter);
    expect(after).toMatchObject({ status: 'pending', needsLookup: true, attempts: 1 });
    const stillUnknown = nextDeliveryState(
      claimed({ needsLookup: true, attempts: 1 }),
      { kind: 'failed', failure: 'not_sent', code: 'ECONNREFUSED', message: 'x' },
      true,
      POLICY,
      NOW,
      noJitter,
    );
    expect(stillUnknown.needsLookup).toBe(true);
  });

  it('is dead after the last attempt, with the last error, and never due again', () => {
    const update = nextDeliveryState(
      claimed({ attempts: 3 }),
      { kind: 'failed', failure: 'unknown', code: 'HTTP_503', message: 'down' },
      true,
      POLICY,
      NOW,
    );
    expect(update).toMatchObject({ status: 'dead', dueAt: null, attempts: 4, errorCode: 'HTTP_503', completedAt: NOW });
  });

  it('does not count a breaker refusal as an attempt and comes back soon', () => {
    const update = nextDeliveryState(claimed({ attempts: 3 }), { kind: 'deferred', code: 'BREAKER_OPEN' }, false, POLICY, NOW, () => 0.5);
    expect(update).toMatchObject({ status: 'pending', attempts: 3 });
    expect(ms(update.dueAt)).toBe(2_000);
  });

  it('polls a pending target: first after 3-5 s, then less often, and gives up after the pending limit', () => {
    const first = nextDeliveryState(claimed(), { kind: 'pending', targetRecordId: 'n-1' }, true, POLICY, NOW);
    expect(first).toMatchObject({ status: 'pending', pendingSince: NOW, polls: 0, targetRecordId: 'n-1' });
    expect(ms(first.dueAt)).toBe(4_000);
    const since = new Date(NOW.getTime() - 10_000);
    const second = nextDeliveryState(claimed({ pendingSince: since }), { kind: 'pending' }, false, POLICY, NOW);
    expect(second.polls).toBe(1);
    expect(ms(second.dueAt)).toBe(pollDelayMs(1, POLICY));
    expect(pollDelayMs(1, POLICY)).toBeGreaterThan(4_000);
    expect(pollDelayMs(20, POLICY)).toBe(30_000);
    const tooLong = new Date(NOW.getTime() - POLICY.pendingMaxMs);
    expect(nextDeliveryState(claimed({ pendingSince: tooLong }), { kind: 'pending' }, false, POLICY, NOW)).toMatchObject({
      status: 'dead',
      errorCode: 'PENDING_TIMEOUT',
    });
  });

  it('re-issues under a new generation (serial) when the target dropped the invoice for good', () => {
    const update = nextDeliveryState(
      claimed({ pendingSince: NOW, polls: 3 }),
      { kind: 'reissue', code: '22', message: 'issue failed' },
      true,
      POLICY,
      NOW,
    );
    expect(update).toMatchObject({ status: 'pending', generation: 2, pendingSince: null, polls: 0, needsLookup: false, dueAt: NOW });
  });

  it('ends on an answer: accepted or rejected, never due again', () => {
    expect(nextDeliveryState(claimed({ needsLookup: true }), { kind: 'accepted', targetRecordId: 'r' }, true, POLICY, NOW)).toMatchObject({
      status: 'accepted',
      dueAt: null,
      needsLookup: false,
      targetRecordId: 'r',
    });
    expect(nextDeliveryState(claimed(), { kind: 'rejected', code: 'E4000', message: 'bad' }, true, POLICY, NOW)).toMatchObject({
      status: 'rejected',
      dueAt: null,
      errorCode: 'E4000',
    });
  });

  it('waits, not due, while relayed through a platform', () => {
    expect(nextDeliveryState(claimed(), { kind: 'relay', via: 'baiwang' }, false, POLICY, NOW)).toMatchObject({
      status: 'pending',
      dueAt: null,
      waitingFor: 'relay',
      relayVia: 'baiwang',
    });
  });
});
