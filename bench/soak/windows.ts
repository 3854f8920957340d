import { summarize, type LatencySummary } from '../gateway/stats';
import type { LoadTally } from './paced-load';
import type { Sample } from './system-probe';

export interface Spread {
  min: number;
  median: number;
  mean: number;
  max: number;
  end: number;
}

/** What one window of the run saw: its samples reduced, and the load's tally of the same minutes. */
export interface SoakWindow {
  index: number;
  fromMinute: number;
  toMinute: number;
  seconds: number;
  samples: number;
  memory: Record<string, { rssMb: Spread; heapUsedMb: Spread }>;
  /** Per service, CPU used in the window as % of one core; and the machine's load average (context, not judged). */
  cpuPercent: Record<string, number>;
  loadAverage: Spread;
  lag: Record<string, Spread>;
  outbox: Record<string, Spread>;
  syncBacklog: Spread;
  ingest: {
    targetPerSecond: number;
    acceptedPerSecond: number;
    requests: number;
    notAccepted: number;
    failedRequests: number;
    lateBatches: number;
    latencyMs: LatencySummary;
  };
  delivered: { perSecond: number; authorityPerSecond: number };
}

/**
 * Reduces a window: `samples` are those taken during it, `before` the last one before it (for the counters'
 * differences), `tally` what the load did in it.
 */
export function windowOf(
  index: number,
  windowMinutes: number,
  rate: number,
  before: Sample,
  samples: Sample[],
  tally: LoadTally,
): SoakWindow {
  const last = samples[samples.length - 1];
  const seconds = (last.at - before.at) / 1000;
  const services = Object.keys(last.memory);
  const keys = (pick: (s: Sample) => Record<string, number>) => [
    ...new Set(samples.flatMap((s) => Object.keys(pick(s)))),
  ];
  const memory: SoakWindow['memory'] = {};
  for (const service of services)
    memory[service] = {
      rssMb: spread(samples.map((s) => s.memory[service as keyof Sample['memory']].rssMb)),
      heapUsedMb: spread(samples.map((s) => s.memory[service as keyof Sample['memory']].heapUsedMb)),
    };
  const cpuPercent = Object.fromEntries(
    services.map((service) => {
      const key = service as keyof Sample['cpuSeconds'];
      return [service, round(((last.cpuSeconds[key] - before.cpuSeconds[key]) / seconds) * 100, 1)];
    }),
  );
  const perKey = (pick: (s: Sample) => Record<string, number>) =>
    Object.fromEntries(keys(pick).map((k) => [k, spread(samples.map((s) => pick(s)[k] ?? 0))]));
  return {
    index,
    fromMinute: index * windowMinutes,
    toMinute: (index + 1) * windowMinutes,
    seconds: round(seconds, 1),
    samples: samples.length,
    memory,
    cpuPercent,
    loadAverage: spread(samples.map((s) => s.loadAverage)),
    lag: perKey((s) => s.lag),
    outbox: perKey((s) => s.outbox),
    syncBacklog: spread(samples.map((s) => s.syncBacklog)),
    ingest: {
      targetPerSecond: rate,
      acceptedPerSecond: round(tally.accepted / seconds, 1),
      requests: tally.requests,
      notAccepted: tally.notAccepted,
      failedRequests: tally.failedRequests,
      lateBatches: tally.lateBatches,
      latencyMs: summarize(tally.latenciesMs),
    },
    delivered: {
      perSecond: round((last.delivered.all - before.delivered.all) / seconds, 1),
      authorityPerSecond: round((last.delivered.authority - before.delivered.authority) / seconds, 1),
    },
  };
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    min: round(sorted[0] ?? 0, 1),
    median: round(median, 1),
    mean: round(n ? values.reduce((a, b) => a + b, 0) / n : 0, 1),
    max: round(sorted[n - 1] ?? 0, 1),
    end: round(values[n - 1] ?? 0, 1),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
