import { EventEmitter } from 'node:events';
import { metricsRegistry } from '@lib/observability';
import { BreakerMetrics, breakerSnapshot } from './breaker-metrics';

/** A breaker as the metrics read it, whose state the test sets and whose transitions it emits. */
class FakeBreaker extends EventEmitter {
  opened = false;
  halfOpen = false;
  stats = { successes: 1, failures: 2, timeouts: 0, rejects: 0 };
}

describe('BreakerMetrics', () => {
  it('reports a tracked breaker on the state gauge and in its snapshot, whichever instance tracked it', async () => {
    const breaker = new FakeBreaker();
    new BreakerMetrics().track('spec-target', breaker);
    breaker.opened = true;
    breaker.emit('open');

    const state = await metricsRegistry.getSingleMetric('circuit_breaker_state')?.get();
    expect(state?.values).toContainEqual(
      expect.objectContaining({ labels: { target: 'spec-target' }, value: 2 }),
    );
    expect(breakerSnapshot('spec-target')).toEqual(
      expect.objectContaining({
        state: 'open',
        stats: { successes: 1, failures: 2, timeouts: 0, rejects: 0 },
      }),
    );
    const transitions = await metricsRegistry.getSingleMetric('circuit_breaker_transitions_total')?.get();
    expect(transitions?.values).toContainEqual(
      expect.objectContaining({ labels: { target: 'spec-target', to: 'open' }, value: 1 }),
    );

    new BreakerMetrics().untrack('spec-target', breaker);
    expect(breakerSnapshot('spec-target')).toBeUndefined();
  });
});
