import { BOUNDS, slope, verdictOf } from './verdict';
import { spread, type SoakWindow } from './windows';

const RATE = 350;

/** A window of a healthy run; `change` adjusts it (index from 0, the warm-up). */
function window(index: number, change: (w: SoakWindow) => void = () => undefined): SoakWindow {
  const flat = (value: number) => spread([value, value + 2, value - 2, value]);
  const w: SoakWindow = {
    index,
    fromMinute: index,
    toMinute: index + 1,
    seconds: 60,
    samples: 4,
    memory: {
      'device-gateway': { rssMb: flat(230), heapUsedMb: flat(60) },
      sync: { rssMb: flat(210), heapUsedMb: flat(55) },
    },
    cpuPercent: { 'device-gateway': 20, sync: 40 },
    loadAverage: flat(1.5),
    lag: { 'sync.invoices': flat(40), 'reconcile.ledger': flat(10) },
    outbox: { 'device-gateway': flat(20), sync: flat(30) },
    syncBacklog: flat(50),
    ingest: {
      targetPerSecond: RATE,
      acceptedPerSecond: RATE,
      requests: 1050,
      notAccepted: 0,
      failedRequests: 0,
      lateBatches: 0,
      latencyMs: { count: 1050, p50: 40, p90: 70, p99: 120, max: 300 },
    },
    delivered: { perSecond: RATE * 1.6, authorityPerSecond: RATE },
  };
  change(w);
  return w;
}

const run = (n: number, change?: (w: SoakWindow) => void) =>
  Array.from({ length: n }, (_, i) => window(i, i === 0 ? undefined : change));

describe('soak verdict', () => {
  it('calls a run flat and bounded when nothing grows after the warm-up', () => {
    const windows = run(6);
    // The warm-up may look like anything: it is not judged.
    windows[0].memory.sync.rssMb = spread([90, 400]);
    windows[0].lag['sync.invoices'] = spread([50_000]);
    const verdict = verdictOf(windows, 1, RATE);
    expect(verdict.failed).toEqual([]);
    expect(verdict.flatBounded).toBe(true);
    expect(verdict.judgedWindows).toBe(5);
  });

  it('fails a service whose RSS climbs past the bound per 5 minutes', () => {
    // 3 MB per 1-minute window = 15 MB per 5 minutes, above the 10 MB bound.
    const windows = run(6, (w) => {
      w.memory.sync.rssMb = spread([210 + 3 * w.index]);
    });
    const verdict = verdictOf(windows, 1, RATE);
    expect(verdict.flatBounded).toBe(false);
    expect(verdict.failed).toEqual(['sync: RSS growth (window medians), MB per 5 min']);
  });

  it('scales memory growth to 5 minutes: the same MB per window is slower with longer windows', () => {
    const windows = run(6, (w) => {
      w.memory.sync.rssMb = spread([210 + 3 * w.index]);
    });
    // 3 MB per 5-minute window is within the bound.
    expect(verdictOf(windows, 5, RATE).flatBounded).toBe(true);
  });

  it('judges the heap by its floor, so a rising peak alone is not a leak', () => {
    const peaks = run(6, (w) => {
      w.memory['device-gateway'].heapUsedMb = spread([60, 60 + 20 * w.index]);
    });
    expect(verdictOf(peaks, 1, RATE).flatBounded).toBe(true);
    const floor = run(6, (w) => {
      w.memory['device-gateway'].heapUsedMb = spread([60 + 2 * w.index, 120]);
    });
    expect(verdictOf(floor, 1, RATE).failed).toEqual([
      'device-gateway: heap used growth (window floors), MB per 5 min',
    ]);
  });

  it('fails a consumer group whose lag keeps rising, and one that stays far behind', () => {
    const rising = run(6, (w) => {
      w.lag['sync.invoices'] = spread([1_000 * w.index]);
    });
    expect(verdictOf(rising, 1, RATE).failed).toEqual([
      'consumer lag sync.invoices: rise over the judged windows / highest window mean',
    ]);
    const behind = run(6, (w) => {
      w.lag['reconcile.ledger'] = spread([RATE * (BOUNDS.queueCeilingSecondsOfTraffic + 10)]);
    });
    expect(verdictOf(behind, 1, RATE).failed).toEqual([
      'consumer lag reconcile.ledger: rise over the judged windows / highest window mean',
    ]);
  });

  it('fails a growing outbox and a growing backlog of deliveries', () => {
    const windows = run(6, (w) => {
      w.outbox.sync = spread([600 * w.index]);
      w.syncBacklog = spread([900 * w.index]);
    });
    expect(verdictOf(windows, 1, RATE).failed).toEqual([
      'outbox depth sync: rise over the judged windows / highest window mean',
      'sync open deliveries: rise over the judged windows / highest window mean',
    ]);
  });

  it('fails when the later half of the run has more than twice the p99 of the earlier half', () => {
    const windows = run(5, (w) => {
      w.ingest.latencyMs = { ...w.ingest.latencyMs, p99: w.index <= 2 ? 100 : 250 };
    });
    expect(verdictOf(windows, 1, RATE).failed).toEqual([
      'p99 ingest latency: later half ÷ earlier half of the judged windows',
    ]);
  });

  it('fails when the system did not take the rate, or refused invoices', () => {
    const slow = run(4, (w) => {
      w.ingest.acceptedPerSecond = w.index === 3 ? RATE * 0.8 : RATE;
    });
    expect(verdictOf(slow, 1, RATE).failed).toEqual([
      'ingest held: lowest window invoices accepted/s; items refused or requests failed',
    ]);
    const refused = run(4, (w) => {
      w.ingest.notAccepted = w.index === 2 ? 20 : 0;
    });
    expect(verdictOf(refused, 1, RATE).flatBounded).toBe(false);
  });

  it('gives no verdict of flat and bounded with fewer than two windows after the warm-up', () => {
    const verdict = verdictOf(run(2), 1, RATE);
    expect(verdict.flatBounded).toBe(false);
    expect(verdict.failed).toEqual(['windows after warm-up']);
  });

  it('fits a least-squares slope', () => {
    expect(slope([1, 2, 3, 4])).toBeCloseTo(1);
    expect(slope([5, 5, 5])).toBe(0);
    expect(slope([10, 0, 10, 0])).toBeCloseTo(-2);
  });
});
