import { windowTable } from './report';
import type { Sample } from './system-probe';
import { spread, windowOf } from './windows';

function sample(at: number, cpu: number, delivered: number, lag: number): Sample {
  const memory = { rssMb: 200 + at / 60_000, heapUsedMb: 50 };
  return {
    at,
    memory: { 'device-gateway': memory, sync: memory, reconcile: memory, notifier: memory },
    cpuSeconds: { 'device-gateway': cpu, sync: cpu * 2, reconcile: 0, notifier: cpu / 2 },
    loadAverage: 1.5,
    lag: { sync: lag },
    outbox: { 'device-gateway': 10 },
    syncBacklog: 4,
    delivered: { all: delivered, authority: delivered / 2 },
  };
}

describe('soak windows', () => {
  it('reduces a window: CPU and deliveries as rates over its seconds, lag and memory as spreads', () => {
    const before = sample(0, 10, 1_000, 0);
    const samples = [sample(30_000, 25, 4_000, 100), sample(60_000, 40, 7_000, 300)];
    const tally = {
      requests: 600,
      accepted: 12_000,
      notAccepted: 0,
      failedRequests: 0,
      latenciesMs: [10, 20, 30, 400],
      lateBatches: 0,
    };
    const w = windowOf(0, 1, 200, before, samples, tally);
    expect(w.seconds).toBe(60);
    // 30 CPU seconds in 60 s: half a core; sync twice that; reconcile none.
    expect(w.cpuPercent).toEqual({ 'device-gateway': 50, sync: 100, reconcile: 0, notifier: 25 });
    expect(w.delivered).toEqual({ perSecond: 100, authorityPerSecond: 50 });
    expect(w.ingest.acceptedPerSecond).toBe(200);
    expect(w.ingest.latencyMs.p99).toBe(400);
    expect(w.lag.sync).toEqual({ min: 100, median: 200, mean: 200, max: 300, end: 300 });
    expect(w.memory.sync.rssMb.median).toBe(200.8);

    const table = windowTable([w]);
    expect(table).toContain('*0-1');
    expect(table).toContain('200 of 200');
    expect(table).toContain('50 / 100 / 0 / 25');
  });

  it('takes medians of an even number of values as the mean of the middle two', () => {
    expect(spread([4, 1, 3, 2]).median).toBe(2.5);
    expect(spread([]).max).toBe(0);
  });
});
