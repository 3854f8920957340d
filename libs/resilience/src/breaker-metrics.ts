import { counter, gauge, histogram } from '@lib/observability';

/** The part of an opossum breaker the metrics read. */
interface BreakerLike {
  readonly opened: boolean;
  readonly halfOpen: boolean;
  /** Totals over the breaker's rolling window. */
  readonly stats: { successes: number; failures: number; timeouts: number; rejects: number };
  on(event: 'open' | 'halfOpen' | 'close', listener: () => void): unknown;
}

export type BreakerState = 'closed' | 'half-open' | 'open';

/** One target's breaker as an operator reads it: its state, since when, and its rolling window's counts. */
export interface BreakerSnapshot {
  target: string;
  state: BreakerState;
  /** When it last changed state (ISO), or null while it has stayed closed since it was created. */
  since: string | null;
  stats: { successes: number; failures: number; timeouts: number; rejects: number };
}

interface Tracked {
  breaker: BreakerLike;
  /** The wall clock of the breaker's last transition (opossum's own reset timer runs on the wall clock too). */
  since: Date | null;
}

/**
 * Every breaker in this process, by target: what breakerSnapshot answers and what the state gauge reads when /metrics
 * is scraped. Process-wide like the registry the gauge lives in: a gauge keeps the collector it was first registered
 * with, so every client's breaker must be found from that one collector.
 */
const breakers = new Map<string, Tracked>();

const stateOf = (breaker: BreakerLike): BreakerState =>
  breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';

/** The breaker of `target` in this process (the last `ResilientHttpClient` created for it), or undefined if none. */
export function breakerSnapshot(target: string): BreakerSnapshot | undefined {
  const tracked = breakers.get(target);
  if (!tracked) return undefined;
  const { successes, failures, timeouts, rejects } = tracked.breaker.stats;
  return {
    target,
    state: stateOf(tracked.breaker),
    since: tracked.since?.toISOString() ?? null,
    stats: { successes, failures, timeouts, rejects },
  };
}

/**
 * A client's instruments, created with the instance. Each client holds one (its own, or one it is given); the helpers
 * return the metric already registered under a name, so every instance in a process counts into the same series.
 */
export class BreakerMetrics {
  private readonly calls = counter('external_calls_total', 'Calls to external systems by outcome', [
    'target',
    'outcome',
  ]);
  private readonly latency = histogram('external_call_duration_seconds', 'Latency of external calls', [
    'target',
  ]);
  private readonly transitions = counter('circuit_breaker_transitions_total', 'Breaker state changes', [
    'target',
    'to',
  ]);

  constructor() {
    /** 0 closed, 1 half-open, 2 open. */
    gauge(
      'circuit_breaker_state',
      'Circuit breaker state per target: 0 closed, 1 half-open, 2 open',
      ['target'],
      function collect() {
        this.reset();
        for (const [target, { breaker }] of breakers)
          this.set({ target }, breaker.opened ? 2 : breaker.halfOpen ? 1 : 0);
      },
    );
  }

  track(target: string, breaker: BreakerLike): void {
    const tracked: Tracked = { breaker, since: null };
    breakers.set(target, tracked);
    const changed = (to: string) => {
      tracked.since = new Date();
      this.transitions.inc({ target, to });
    };
    breaker.on('open', () => changed('open'));
    breaker.on('halfOpen', () => changed('half_open'));
    breaker.on('close', () => changed('closed'));
  }

  untrack(target: string, breaker: unknown): void {
    if (breakers.get(target)?.breaker === breaker) breakers.delete(target);
  }

  observe(target: string, outcome: string, started: bigint): void {
    this.calls.inc({ target, outcome });
    this.latency.observe({ target }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}
