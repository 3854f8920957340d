/**
 * Sync delivery benchmark against the sandbox (see docs/sync.md, "Benchmark", and docs/benchmarks.md):
 *   node -r ./test/support/ts-register.js bench/sync/run.ts
 * The sandbox, sync and the bare client each run in their own process; this one only drives them.
 * 0. ceiling: the bare AuthorityAdapter against the sandbox (20 ms added latency) at the same concurrency, no sync,
 *    measured just before and just after the throughput phase (the machine's load changes; their mean is reported);
 * 1. throughput: deliveries/s to the authority (20 ms added latency) with the configured concurrency,
 *    divided by the breaker-bound maximum concurrency × 1000 / latency (target ≥ 0.8);
 * 2. catch-up: a backlog built during an authority outage, time from the end of the outage until it is
 *    delivered, and duplicates at the target (target 0).
 * Each phase records the CPU of each process (sandbox, sync, its PostgreSQL backends, Kafka, this one, the client).
 * Env: BENCH_N (throughput invoices, 3000), BENCH_BACKLOG (50000), BENCH_OUTAGE_S (60), BENCH_CONCURRENCY (16),
 * BENCH_DIST=1 (the sandbox from dist/ after npm run build).
 */
import { cpus, loadavg } from 'node:os';
import { pollUntil, scrapeMetric } from '@lib/testing';
// eslint-disable-next-line no-restricted-imports -- the benchmark drives sync as a child process, like its e2e tests
import { SyncProcess } from '../../apps/sync/test/e2e/support/sync-process';
// eslint-disable-next-line no-restricted-imports -- a fresh seller with its own routing
import { newSeller } from '../../apps/sync/test/e2e/support/sandbox-env';
import { DEV_CREDENTIALS } from '@lib/simulators';
// eslint-disable-next-line no-restricted-imports -- test fixtures
import { blueInvoice } from '../../apps/sync/test/support/invoices';
import { freePort } from '../../test/support/free-port';
import { findKafkaPid } from '../gateway/process-cpu';
import { backendPidsOf, CpuMeter } from '../support/cpu';
import { writeResult } from '../support/result';
import { measureCeiling } from './ceiling';
import { SandboxProcess } from './sandbox-process';

const N = Number(process.env.BENCH_N ?? 3000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 50_000);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_MS = 20;

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function main(): Promise<void> {
  const sandbox = new SandboxProcess();
  const sync = new SyncProcess();
  // A benchmark killed by the runner must not leave sync running (the sandbox process cleans up after itself).
  process.once('exit', () => sync.child?.kill('SIGKILL'));
  const accepted = async () => (await sync.statusCounts())['authority:accepted'] ?? 0;
  try {
    await sandbox.start({ SANDBOX_SEED: 'sync-bench', SANDBOX_VISIBILITY_LAG_MS: '0' });
    await sandbox.setFaults('authority', { latency: { fixedMs: LATENCY_MS } });
    const bound = (CONCURRENCY * 1000) / LATENCY_MS;

    // 0. the ceiling on this machine: the bare client, same sandbox, same latency and concurrency.
    const ceilingRun = async (when: string) => {
      const report = await measureCeiling(sandbox, {
        invoices: N,
        concurrency: CONCURRENCY,
        latencyMs: LATENCY_MS,
        seller: newSeller(),
      });
      log(
        `ceiling ${when} (bare client, sandbox in its own process): ${report.deliveriesPerSecond} deliveries/s, ` +
          `ratio ${report.ratio}; mean call ${report.meanCallMs} ms; CPU % of one core ` +
          `${JSON.stringify(report.cpu.percentOfOneCore)}, machine busy ${report.cpu.machineBusyPercent} %`,
      );
      return report;
    };
    const ceilingBefore = await ceilingRun('before');
    await requestReset(sandbox);
    await sandbox.setFaults('authority', { latency: { fixedMs: LATENCY_MS } });

    const env = {
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '2000',
      AUTHORITY_BREAKER_VOLUME: '20',
      AUTHORITY_BREAKER_ERROR_PERCENT: '50',
      AUTHORITY_BREAKER_RESET_MS: '2000',
      AUTHORITY_BREAKER_WINDOW_MS: '5000',
      SYNC_DEFAULT_PLATFORMS: '',
      SYNC_CONCURRENCY_AUTHORITY: String(CONCURRENCY),
      SYNC_SENDING_LEASE_MS: '30000',
      SYNC_MAX_ATTEMPTS: '100',
      SYNC_BACKOFF_INITIAL_MS: '100',
      SYNC_BACKOFF_MAX_MS: '1000',
      SYNC_BREAKER_RETRY_MS: '300',
      LOG_LEVEL: 'warn',
    };
    // Ingest first with the workers off, so the throughput phase measures delivery, not Kafka ingestion.
    await sync.start({ ...env, SYNC_WORKERS_ENABLED: 'false' });
    const seller = newSeller();
    const make = (n: number) => Array.from({ length: n }, () => blueInvoice({ sellerTaxNo: seller }));
    const sendAll = async (invoices: ReturnType<typeof make>) => {
      for (let i = 0; i < invoices.length; i += 500) await sync.send('issued', invoices.slice(i, i + 500));
    };
    const meter = () =>
      new CpuMeter({
        sandbox: () => [sandbox.pid],
        sync: () => [sync.child?.pid],
        'sync PostgreSQL backends': () =>
          backendPidsOf(sync.child?.pid, (sql, params) => sync.pool.query<{ pid: number }>(sql, params)),
        kafka: () => [findKafkaPid()],
        'benchmark driver': () => [process.pid],
      });

    // 1. throughput: measured between 10 % and 90 % delivered, so start-up and tail do not count.
    await sendAll(make(N));
    const pending = async () => (await sync.statusCounts())['authority:pending'] ?? 0;
    await pollUntil(pending, (n) => n >= N, { timeoutMs: 600_000, intervalMs: 250, what: 'all ingested' });
    await sync.kill();
    // A port of our own for the restart, to read sync's metrics (mean call time as sync saw it).
    const port = await freePort();
    sync.setEnv({ ...env, SYNC_WORKERS_ENABLED: 'true', PORT: String(port) });
    const throughputCpu = meter();
    await throughputCpu.start();
    await sync.restart();
    await pollUntil(accepted, (n) => n >= N, {
      timeoutMs: 600_000,
      intervalMs: 100,
      what: 'throughput phase done',
    });
    await throughputCpu.stop();
    const syncMeanCallMs = await meanAuthorityCallMs(`http://127.0.0.1:${port}`);
    const { rate, from, to } = await deliveryRate(sync, N);
    const throughputWindow = throughputCpu.window(from, to);
    const ceilingAfter = await ceilingRun('after');
    const ceilingRate = (ceilingBefore.deliveriesPerSecond + ceilingAfter.deliveriesPerSecond) / 2;
    const ceiling = {
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      bound,
      deliveriesPerSecond: round(ceilingRate),
      ratio: round(ceilingRate / bound),
      before: ceilingBefore,
      after: ceilingAfter,
    };
    log(
      `sync throughput: ${round(rate)} deliveries/s, ratio ${round(rate / bound)} (ceiling ${ceiling.ratio}); ` +
        `CPU % of one core ${JSON.stringify(throughputWindow.percentOfOneCore)}, machine busy ${throughputWindow.machineBusyPercent} %`,
    );

    // 2. catch-up after an outage with a backlog (CPU sampled from now on, read from the end of the outage).
    const catchUpCpu = meter();
    await catchUpCpu.start();
    await sandbox.setFaults('authority', {
      latency: { fixedMs: LATENCY_MS },
      outage: { mode: 'unavailable', durationMs: OUTAGE_S * 1000, retryAfterSeconds: 1 },
    });
    const outageEnds = Date.now() + OUTAGE_S * 1000;
    await sendAll(make(BACKLOG));
    const produced = Date.now();
    const target = N + BACKLOG;
    const ingested = async () => {
      const counts = await sync.statusCounts();
      return Object.entries(counts)
        .filter(([key]) => key.startsWith('authority:'))
        .reduce((sum, [, n]) => sum + n, 0);
    };
    await pollUntil(ingested, (n) => n >= target, {
      timeoutMs: 3_600_000,
      intervalMs: 250,
      what: 'backlog ingested',
    });
    const ingestedAt = Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
    await pollUntil(accepted, (n) => n >= target, {
      timeoutMs: 3_600_000,
      intervalMs: 250,
      what: 'backlog delivered',
    });
    const deliveredAt = Date.now();
    const catchUpS = (deliveredAt - outageEnds) / 1000;
    await catchUpCpu.stop();
    const catchUpWindow = catchUpCpu.window(outageEnds, deliveredAt);
    const state = await sandbox.state();
    const duplicates = state.authority.duplicates;
    const result = {
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      processes: {
        sandbox: `own process, ${sandbox.entry}`,
        sync: 'own process, sources (ts-register)',
        bareClient: 'own process',
      },
      ceiling,
      throughput: {
        invoices: N,
        concurrency: CONCURRENCY,
        latencyMs: LATENCY_MS,
        deliveriesPerSecond: round(rate),
        bound,
        ratio: round(rate / bound),
        ratioToCeiling: round(rate / ceilingRate),
        /** Mean authority call as sync saw it (its external_call_duration_seconds), and each slot's time per delivery. */
        meanCallMs: syncMeanCallMs,
        slotMsPerDelivery: round((CONCURRENCY * 1000) / rate),
        target: 0.8,
        cpu: throughputWindow,
      },
      catchUp: {
        backlog: BACKLOG,
        outageSeconds: OUTAGE_S,
        producedWithinOutage: produced <= outageEnds,
        ingestedWithinOutage: ingestedAt <= outageEnds,
        secondsAfterOutage: round(catchUpS),
        deliveriesPerSecond: round(BACKLOG / Math.max(catchUpS, 0.001)),
        ratioToBound: round(BACKLOG / Math.max(catchUpS, 0.001) / bound),
        duplicatesAtAuthority: duplicates,
        outageAnswers: state.authority.faults.outages,
        cpu: catchUpWindow,
      },
    };
    const file = writeResult('sync', result);
    console.table({
      'bare client ceiling (deliveries/s)': { value: ceiling.deliveriesPerSecond, target: '-' },
      'ceiling ratio to concurrency × 1000 / latency': { value: ceiling.ratio, target: '-' },
      'throughput (deliveries/s)': {
        value: result.throughput.deliveriesPerSecond,
        target: `≥ ${round(bound * 0.8)}`,
      },
      'ratio to concurrency × 1000 / latency': { value: result.throughput.ratio, target: '≥ 0.8' },
      [`catch-up of ${BACKLOG} after ${OUTAGE_S} s outage (s)`]: {
        value: result.catchUp.secondsAfterOutage,
        target: '-',
      },
      'duplicates at the authority': { value: duplicates, target: 0 },
    });
    log(`results written to ${file}`);
    process.exitCode = result.throughput.ratio >= 0.8 && duplicates === 0 ? 0 : 1;
  } finally {
    await sync.stop().catch((error: unknown) => log(`sync clean-up failed: ${String(error)}`));
    await sandbox.stop();
  }
}

/** Mean duration of sync's calls to the authority since it started, from its Prometheus metrics (ms). */
async function meanAuthorityCallMs(baseUrl: string): Promise<number | null> {
  const labels = { target: 'authority' };
  const sum = await scrapeMetric(baseUrl, 'external_call_duration_seconds_sum', labels);
  const count = await scrapeMetric(baseUrl, 'external_call_duration_seconds_count', labels);
  const mean = (sum / count) * 1000;
  return Number.isFinite(mean) ? round(mean) : null;
}

/** Forgets the ceiling's uploads, counters and faults, so the duplicate count is sync's alone. */
async function requestReset(sandbox: SandboxProcess): Promise<void> {
  const answer = await fetch(`${sandbox.urls.control}/__sandbox/reset`, { method: 'POST' });
  if (!answer.ok) throw new Error(`sandbox reset: ${answer.status}`);
}

/**
 * Deliveries per second between the 10th and the 90th percentile of completion times (start-up and tail excluded),
 * and that window (epoch ms).
 */
async function deliveryRate(
  sync: SyncProcess,
  n: number,
): Promise<{ rate: number; from: number; to: number }> {
  const { rows } = await sync.pool.query<{ t: Date }>(
    `SELECT completed_at AS t FROM ${sync.schema}.deliveries WHERE target = 'authority' AND status = 'accepted' ORDER BY completed_at`,
  );
  const [from, to] = [Math.floor(n * 0.1), Math.floor(n * 0.9)];
  const window = { from: rows[from].t.getTime(), to: rows[to].t.getTime() };
  return { rate: (to - from) / ((window.to - window.from) / 1000), ...window };
}

const round = (n: number) => Math.round(n * 100) / 100;

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
