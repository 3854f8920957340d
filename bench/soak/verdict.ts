import type { SoakWindow, Spread } from './windows';

/**
 * The bounds of "flat, bounded", stated once. The first window is warm-up (JIT, pools, caches, the first fetches of
 * every consumer) and never judged; at least two windows after it are. Growth is a least-squares slope over the
 * judged windows, so one noisy window does not decide it, and memory bounds are per 5 minutes whatever the window.
 */
export const BOUNDS = {
  warmUpWindows: 1,
  /** RSS: the window's median; growth per 5 minutes per service. */
  rssGrowthMbPer5Min: 10,
  /** Heap used: the window's minimum (the floor after collections, where a leak shows); growth per 5 minutes. */
  heapFloorGrowthMbPer5Min: 5,
  /** Lag, outbox, sync backlog: rise of the window means over the judged span, in seconds of the load's traffic. */
  queueRiseSecondsOfTraffic: 5,
  /** ...and no judged window's mean above this many seconds of traffic (a system running behind is not bounded). */
  queueCeilingSecondsOfTraffic: 30,
  /** The floor of both queue allowances, messages or rows (a slow rate must not make them meaningless). */
  queueFloor: 100,
  /** p99 ingest latency: mean of the later half of the judged windows ÷ mean of the earlier half. */
  p99GrowthFactor: 2,
  /** Ingest: invoices accepted per second in every judged window, as a share of the rate the load sends. */
  rateHeldShare: 0.95,
};

export interface Criterion {
  criterion: string;
  value: string;
  bound: string;
  met: boolean;
}

export interface Verdict {
  flatBounded: boolean;
  judgedWindows: number;
  failed: string[];
  criteria: Criterion[];
}

export function verdictOf(windows: SoakWindow[], windowMinutes: number, rate: number): Verdict {
  const judged = windows.slice(BOUNDS.warmUpWindows);
  const criteria: Criterion[] = [];
  if (judged.length < 2)
    criteria.push({
      criterion: 'windows after warm-up',
      value: String(judged.length),
      bound: '≥ 2',
      met: false,
    });
  else {
    const per5Min = 5 / windowMinutes;
    for (const service of Object.keys(judged[0].memory)) {
      const rss = slope(judged.map((w) => w.memory[service].rssMb.median)) * per5Min;
      criteria.push({
        criterion: `${service}: RSS growth (window medians), MB per 5 min`,
        value: signed(rss),
        bound: `≤ ${BOUNDS.rssGrowthMbPer5Min}`,
        met: rss <= BOUNDS.rssGrowthMbPer5Min,
      });
      const heap = slope(judged.map((w) => w.memory[service].heapUsedMb.min)) * per5Min;
      criteria.push({
        criterion: `${service}: heap used growth (window floors), MB per 5 min`,
        value: signed(heap),
        bound: `≤ ${BOUNDS.heapFloorGrowthMbPer5Min}`,
        met: heap <= BOUNDS.heapFloorGrowthMbPer5Min,
      });
    }
    const rise = Math.max(BOUNDS.queueFloor, Math.round(rate * BOUNDS.queueRiseSecondsOfTraffic));
    const ceiling = Math.max(BOUNDS.queueFloor, Math.round(rate * BOUNDS.queueCeilingSecondsOfTraffic));
    const queue = (name: string, spreads: (Spread | undefined)[]) => {
      const means = spreads.map((s) => s?.mean ?? 0);
      const trend = slope(means) * (means.length - 1);
      const highest = Math.max(...means);
      criteria.push({
        criterion: `${name}: rise over the judged windows / highest window mean`,
        value: `${signed(trend)} / ${round(highest)}`,
        bound: `≤ ${rise} / ≤ ${ceiling}`,
        met: trend <= rise && highest <= ceiling,
      });
    };
    const groups = [...new Set(judged.flatMap((w) => Object.keys(w.lag)))].sort();
    for (const group of groups)
      queue(
        `consumer lag ${group}`,
        judged.map((w) => w.lag[group]),
      );
    const outboxes = [...new Set(judged.flatMap((w) => Object.keys(w.outbox)))].sort();
    for (const service of outboxes)
      queue(
        `outbox depth ${service}`,
        judged.map((w) => w.outbox[service]),
      );
    queue(
      'sync open deliveries',
      judged.map((w) => w.syncBacklog),
    );

    const p99s = judged.map((w) => w.ingest.latencyMs.p99);
    const half = Math.floor(p99s.length / 2);
    const earlier = mean(p99s.slice(0, half));
    const later = mean(p99s.slice(p99s.length - half));
    const factor = earlier > 0 ? later / earlier : Infinity;
    criteria.push({
      criterion: 'p99 ingest latency: later half ÷ earlier half of the judged windows',
      value: `${factor.toFixed(2)} (${round(later)} ms ÷ ${round(earlier)} ms)`,
      bound: `≤ ${BOUNDS.p99GrowthFactor}`,
      met: factor <= BOUNDS.p99GrowthFactor,
    });

    const lowest = Math.min(...judged.map((w) => w.ingest.acceptedPerSecond));
    const refused = judged.reduce((n, w) => n + w.ingest.notAccepted + w.ingest.failedRequests, 0);
    criteria.push({
      criterion: 'ingest held: lowest window invoices accepted/s; items refused or requests failed',
      value: `${lowest} of ${rate}/s; ${refused}`,
      bound: `≥ ${Math.round(rate * BOUNDS.rateHeldShare)}/s; 0`,
      met: lowest >= rate * BOUNDS.rateHeldShare && refused === 0,
    });
  }
  const failed = criteria.filter((c) => !c.met).map((c) => c.criterion);
  return { flatBounded: failed.length === 0, judgedWindows: judged.length, failed, criteria };
}

/** Least-squares slope of values at x = 0, 1, 2, ... (per window). */
export function slope(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = mean(values);
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const round = (n: number) => Math.round(n * 10) / 10;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${round(n)}`;
