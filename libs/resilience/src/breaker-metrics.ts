import { counter, gauge, histogram } from '@lib/observability';

/** The part of an opossum breaker the metrics read. */
interface BreakerLike {
  readonly opened: boolean;
  readonly halfOpen: boolean;
  on(event: 'open' | 'halfOpen' | 'close', listener: () => void): unknown;
}

const breakers = new Map<string, BreakerLike>();

/** 0 closed, 1 half-open, 2 open. */
gauge('circuit_breaker_state', 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open', ['target'], function collect() {
  this.reset();
  for (const [target, breaker] of breakers) this.set({ target }, breaker.opened ? 2 : breaker.halfOpen ? 1 : 0);
});

const calls = counter('external_calls_total', 'Calls to external systems by outcome', ['target', 'outcome']);
const latency = histogram('external_call_duration_seconds', 'Latency of external calls', ['target']);
const transitions = counter('circuit_breaker_transitions_total', 'Breaker state changes', ['target', 'to']);

export const breakerMetrics = {
  track(target: string, breaker: BreakerLike): void {
    const b = breaker;
    breakers.set(target, b);
    b.on('open', () => transitions.inc({ target, to: 'open' }));
    b.on('halfOpen', () => transitions.inc({ target, to: 'half_open' }));
    b.on('close', () => transitions.inc({ target, to: 'closed' }));
  },
  untrack(target: string, breaker: unknown): void {
    if (breakers.get(target) === breaker) breakers.delete(target);
  },
  observe(target: string, outcome: string, started: bigint): void {
    calls.inc({ target, outcome });
    latency.observe({ target }, Number(process.hrtime.bigint() - started) / 1e9);
  },
};
