/**
 * The benchmarks `npm run bench` runs (bench/run-all.ts), their sizes (full and quick), and how each one's JSON
 * result becomes the figures of the summary: value, target, ratio to its baseline, met or not.
 */

export interface Figure {
  figure: string;
  value: string;
  target: string;
  vsBaseline: string;
  /** true / false against the target; null when the figure has no target (a reference). */
  met: boolean | null;
}

export interface BenchmarkSpec {
  name: string;
  /** The benchmark's entry, relative to the repository root. */
  file: string;
  description: string;
  /** Environment of the full run (on top of the benchmark's own defaults) and of the quick one. */
  env: { full: Record<string, string>; quick: Record<string, string> };
  timeoutMs: { full: number; quick: number };
  figures(result: Json): Figure[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each benchmark's result has its own shape
type Json = any;

const MINUTE = 60_000;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 2) => Number(n).toFixed(digits);
const atMost = (value: number, limit: number) => value <= limit;
const seconds = (ms: number) => fixed(ms / 1000, ms < 1000 ? 2 : 1);
const cpuText = (percent: Record<string, number>) =>
  Object.entries(percent)
    .map(([name, p]) => `${name.replace(' PostgreSQL backends', ' PG')} ${Math.round(p)}`)
    .join(', ');

/**
 * Where sync's deliveries go on this machine: CPU milliseconds per delivery of each process in the throughput phase,
 * and how many cores the breaker-bound rate would need at that cost (the bare client's cost alongside).
 */
function cpuPerDelivery(r: Json): Figure {
  const perDelivery = (percent: number, rate: number) => (percent * 10) / rate;
  const cpu = r.throughput.cpu.percentOfOneCore as Record<string, number>;
  const parts = ['sync', 'sync PostgreSQL backends', 'sandbox', 'kafka'].map((name) =>
    perDelivery(cpu[name] ?? 0, r.throughput.deliveriesPerSecond),
  );
  const total = parts.reduce((a, b) => a + b, 0);
  const before = r.ceiling.before;
  const bare =
    perDelivery(before.cpu.percentOfOneCore.client ?? 0, before.deliveriesPerSecond) +
    perDelivery(before.cpu.percentOfOneCore.sandbox ?? 0, before.deliveriesPerSecond);
  return {
    figure: 'CPU per delivery, ms: sync + its PG + sandbox + Kafka',
    value: `${parts.map((p) => fixed(p)).join(' + ')} = ${fixed(total)}`,
    target: '(reference)',
    vsBaseline:
      `${fixed((total * r.throughput.bound) / 1000, 1)} cores at ${int(r.throughput.bound)}/s; ` +
      `bare client + sandbox ${fixed(bare)} ms`,
    met: null,
  };
}

export const BENCHMARKS: BenchmarkSpec[] = [
  {
    name: 'gateway',
    file: 'bench/gateway/run.ts',
    description: 'device-gateway: signed HTTP batches → PostgreSQL → Kafka, 2 replicas, 16 devices',
    env: { full: {}, quick: { BENCH_INVOICES: '20000', BENCH_HALF_INVOICES: '10000', BENCH_WARMUP: '2000' } },
    timeoutMs: { full: 25 * MINUTE, quick: 8 * MINUTE },
    figures: (r) => [
      {
        figure: `end-to-end invoices/s, full load (${r.fullLoad.concurrency} devices, ${int(r.fullLoad.invoices)})`,
        value: int(r.fullLoad.invoicesPerSecond),
        target: '≥ 5,000',
        vsBaseline: `${fixed(r.ratioGatewayToBaseline)}× Kafka producer alone (${int(r.baseline.eventsPerSecond)}/s)`,
        met: r.fullLoad.invoicesPerSecond >= 5000,
      },
      {
        figure: `p99 request latency at half load (${r.halfLoad.concurrency} devices), ms`,
        value: fixed(r.halfLoad.requestLatencyMs.p99, 0),
        target: '< 250',
        vsBaseline: `p50 ${fixed(r.halfLoad.requestLatencyMs.p50, 0)} ms; ${int(r.halfLoad.invoicesPerSecond)} invoices/s`,
        met: r.halfLoad.requestLatencyMs.p99 < 250,
      },
      {
        figure: 'duplicates in Kafka (event ids seen twice) / items not accepted',
        value: `${r.exactlyOnce.duplicates} / ${r.fullLoad.notAccepted + r.halfLoad.notAccepted}`,
        target: '0 / 0',
        vsBaseline: `${int(r.exactlyOnce.messages)} messages`,
        met: r.exactlyOnce.duplicates === 0 && r.fullLoad.notAccepted + r.halfLoad.notAccepted === 0,
      },
    ],
  },
  {
    name: 'sync',
    file: 'bench/sync/run.ts',
    description:
      'sync → authority (sandbox, 20 ms latency, concurrency 16): bare-client ceiling, throughput ratio, ' +
      'catch-up after an outage; sandbox, sync and client each in their own process',
    env: {
      full: { BENCH_N: '10000', BENCH_BACKLOG: '50000', BENCH_OUTAGE_S: '60' },
      quick: { BENCH_N: '3000', BENCH_BACKLOG: '5000', BENCH_OUTAGE_S: '10' },
    },
    timeoutMs: { full: 40 * MINUTE, quick: 10 * MINUTE },
    figures: (r) => [
      {
        figure: `bare-client ceiling: deliveries/s ÷ (${r.ceiling.concurrency} × 1000 / ${r.ceiling.latencyMs} ms)`,
        value: fixed(r.ceiling.ratio),
        target: '(reference)',
        vsBaseline:
          `${int(r.ceiling.deliveriesPerSecond)}/s of ${int(r.ceiling.bound)}/s bound ` +
          `(${fixed(r.ceiling.before.ratio)} before, ${fixed(r.ceiling.after.ratio)} after sync's phase)`,
        met: null,
      },
      {
        figure: `sync throughput: deliveries/s ÷ (${r.throughput.concurrency} × 1000 / ${r.throughput.latencyMs} ms)`,
        value: fixed(r.throughput.ratio),
        target: '≥ 0.80',
        vsBaseline: `${fixed(r.throughput.ratioToCeiling)}× bare-client ceiling (${int(r.throughput.deliveriesPerSecond)}/s)`,
        met: r.throughput.ratio >= 0.8,
      },
      {
        figure: 'mean authority call / slot time per delivery, ms',
        value: `${fixed(r.throughput.meanCallMs ?? NaN, 1)} / ${fixed(r.throughput.slotMsPerDelivery, 1)}`,
        target: '(reference)',
        vsBaseline: `bare client ${fixed(r.ceiling.before.meanCallMs, 1)} / ${fixed(r.ceiling.before.slotMsPerDelivery, 1)} (before)`,
        met: null,
      },
      {
        figure: "CPU during sync's throughput phase, % of one core",
        value: cpuText(r.throughput.cpu.percentOfOneCore),
        target: '(reference)',
        vsBaseline: `machine ${r.throughput.cpu.machineBusyPercent} % busy (${r.throughput.cpu.cores} cores)`,
        met: null,
      },
      cpuPerDelivery(r),
      {
        figure: `catch-up of ${int(r.catchUp.backlog)} after a ${r.catchUp.outageSeconds} s outage, s`,
        value: fixed(r.catchUp.secondsAfterOutage, 1),
        target: '(none set)',
        vsBaseline:
          `${int(r.catchUp.deliveriesPerSecond)}/s = ${fixed(r.catchUp.ratioToBound)}× bound; backlog ` +
          `${r.catchUp.ingestedWithinOutage ? 'ingested within' : 'still being ingested after'} the outage`,
        met: null,
      },
      {
        figure: 'duplicates at the authority',
        value: String(r.catchUp.duplicatesAtAuthority),
        target: '0',
        vsBaseline: '-',
        met: r.catchUp.duplicatesAtAuthority === 0,
      },
    ],
  },
  {
    name: 'reconcile',
    file: 'bench/reconcile/reconcile.bench.ts',
    description:
      'reconcile one taxpayer-period: pull, staging, comparison, findings (1% of each discrepancy)',
    env: { full: { BENCH_N: '1000000' }, quick: { BENCH_N: '20000' } },
    timeoutMs: { full: 40 * MINUTE, quick: 8 * MINUTE },
    figures: (r) => {
      const expected = Math.floor(r.n / 100);
      const kinds = [
        'MISSING_IN_AUTHORITY',
        'MISSING_IN_LEDGER',
        'AMOUNT_MISMATCH',
        'STATUS_MISMATCH',
        'DUPLICATE_INVOICE',
      ];
      const wrong = kinds.filter((kind) => (r.findings?.[kind] ?? 0) !== expected);
      return [
        {
          figure: `compare phase of ${int(r.n)} invoices, s`,
          value: fixed(r.compareMs / 1000, 1),
          target: '≤ 2× baseline',
          vsBaseline: `${fixed(r.compareToBaseline)}× hand-written anti-joins (${seconds(r.baselineMs)} s)`,
          met: atMost(r.compareToBaseline, 2),
        },
        {
          figure: 'whole run (pull + compare), s',
          value: fixed(r.runMs / 1000, 1),
          target: '(none set)',
          vsBaseline: `pull ${fixed(r.pullMs / 1000, 1)} s, compare ${fixed(r.compareMs / 1000, 1)} s`,
          met: null,
        },
        r.service
          ? {
              figure: `peak RSS of the reconcile service (${r.service.entry}, ${r.service.nodeOptions || 'no NODE_OPTIONS'}), MB`,
              value: String(r.service.peakRssMb),
              target: '≤ 300',
              vsBaseline: `ready at ${r.service.readyRssMb} MB; its run: pull ${fixed(r.service.pullMs / 1000, 1)} s, compare ${fixed(r.service.compareMs / 1000, 1)} s; benchmark process ${r.peakRssMb} MB`,
              met: atMost(r.service.peakRssMb, 300),
            }
          : {
              figure: 'peak RSS of the benchmark process (no service run), MB',
              value: String(r.peakRssMb),
              target: '≤ 300',
              vsBaseline: '-',
              met: atMost(r.peakRssMb, 300),
            },
        {
          figure: `findings per discrepancy kind (5 kinds, ${int(expected)} expected each)`,
          value: wrong.length ? `wrong: ${wrong.join(', ')}` : 'exact',
          target: 'exact',
          vsBaseline: '-',
          met: wrong.length === 0,
        },
        {
          figure: 'findings per kind and invoice type (6 types); the service run finds the same',
          value: r.exactPerType === true ? 'exact' : `wrong: ${String(r.exactPerType ?? 'not measured')}`,
          target: 'exact',
          vsBaseline: r.service ? `service run: ${r.service.sameFindings ? 'same findings' : 'DIFFERENT findings'}` : '-',
          met: r.exactPerType === true && (!r.service || r.service.sameFindings === true),
        },
      ];
    },
  },
];
