/**
 * Sync delivery benchmark against the sandbox (see docs/sync.md, "Benchmark"):
 *   node -r ./test/support/ts-register.js bench/sync/run.ts
 * 1. throughput: deliveries/s to the authority (20 ms added latency) with the configured concurrency,
 *    divided by the breaker-bound maximum concurrency × 1000 / latency (target ≥ 0.8);
 * 2. catch-up: a backlog built during an authority outage, time from the end of the outage until it is
 *    delivered, and duplicates at the target (target 0).
 * Env: BENCH_N (throughput invoices, 3000), BENCH_BACKLOG (50000), BENCH_OUTAGE_S (60), BENCH_CONCURRENCY (16).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pollUntil } from '@lib/testing';
// eslint-disable-next-line no-restricted-imports -- the benchmark drives sync as a child process, like its e2e tests
import { SyncProcess } from '../../apps/sync/test/e2e/support/sync-process';
// eslint-disable-next-line no-restricted-imports -- and runs against the sandbox simulators
import { e2eSandbox, newSeller, syncEnvFor } from '../../apps/sync/test/e2e/support/sandbox-env';
// eslint-disable-next-line no-restricted-imports -- test fixtures
import { blueInvoice } from '../../apps/sync/test/support/invoices';

const N = Number(process.env.BENCH_N ?? 3000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 50_000);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_MS = 20;

async function main(): Promise<void> {
  const sandbox = await e2eSandbox();
  const sync = new SyncProcess();
  const accepted = async () => (await sync.statusCounts())['authority:accepted'] ?? 0;
  try {
    sandbox.control.setFaults('authority', { latency: { fixedMs: LATENCY_MS } });
    const env = syncEnvFor(sandbox, {
        SYNC_DEFAULT_PLATFORMS: '',
        SYNC_CONCURRENCY_AUTHORITY: String(CONCURRENCY),
        AUTHORITY_TIMEOUT_MS: '2000',
        AUTHORITY_BREAKER_VOLUME: '20',
        AUTHORITY_BREAKER_RESET_MS: '2000',
        SYNC_SENDING_LEASE_MS: '30000',
        SYNC_MAX_ATTEMPTS: '100',
        LOG_LEVEL: 'warn',
    });
    // Ingest first with the workers off, so the throughput phase measures delivery, not Kafka ingestion.
    await sync.start({ ...env, SYNC_WORKERS_ENABLED: 'false' });
    const seller = newSeller();
    const make = (n: number) => Array.from({ length: n }, () => blueInvoice({ sellerTaxNo: seller }));
    const sendAll = async (invoices: ReturnType<typeof make>) => {
      for (let i = 0; i < invoices.length; i += 500) await sync.send('issued', invoices.slice(i, i + 500));
    };

    // 1. throughput: measured between 10 % and 90 % delivered, so start-up and tail do not count.
    await sendAll(make(N));
    const pending = async () => (await sync.statusCounts())['authority:pending'] ?? 0;
    await pollUntil(pending, (n) => n >= N, { timeoutMs: 600_000, intervalMs: 250, what: 'all ingested' });
    await sync.kill();
    sync.setEnv({ ...env, SYNC_WORKERS_ENABLED: 'true' });
    await sync.restart();
    await pollUntil(accepted, (n) => n >= N, { timeoutMs: 600_000, intervalMs: 100, what: 'throughput phase done' });
    const rate = await deliveryRate(sync, N);
    const bound = (CONCURRENCY * 1000) / LATENCY_MS;

    // 2. catch-up after an outage with a backlog.
    sandbox.control.setFaults('authority', { latency: { fixedMs: LATENCY_MS }, outage: { mode: 'unavailable', durationMs: OUTAGE_S * 1000, retryAfterSeconds: 1 } });
    const outageEnds = Date.now() + OUTAGE_S * 1000;
    await sendAll(make(BACKLOG));
    const produced = Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
    const target = N + BACKLOG;
    await pollUntil(accepted, (n) => n >= target, { timeoutMs: 3_600_000, intervalMs: 250, what: 'backlog delivered' });
    const catchUpS = (Date.now() - outageEnds) / 1000;
    const state = sandbox.control.state();
    const duplicates = state.authority.duplicates;
    const result = {
      at: new Date().toISOString(),
      throughput: { invoices: N, concurrency: CONCURRENCY, latencyMs: LATENCY_MS, deliveriesPerSecond: round(rate), bound, ratio: round(rate / bound), target: 0.8 },
      catchUp: {
        backlog: BACKLOG,
        outageSeconds: OUTAGE_S,
        producedWithinOutage: produced <= outageEnds,
        secondsAfterOutage: round(catchUpS),
        deliveriesPerSecond: round(BACKLOG / Math.max(catchUpS, 0.001)),
        duplicatesAtAuthority: duplicates,
        outageAnswers: state.authority.faults.outages,
      },
    };
    mkdirSync(resolve(__dirname, '../results'), { recursive: true });
    writeFileSync(resolve(__dirname, '../results/sync.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      'throughput (deliveries/s)': { value: result.throughput.deliveriesPerSecond, target: `≥ ${round(bound * 0.8)}` },
      'ratio to concurrency × 1000 / latency': { value: result.throughput.ratio, target: '≥ 0.8' },
      [`catch-up of ${BACKLOG} after ${OUTAGE_S} s outage (s)`]: { value: result.catchUp.secondsAfterOutage, target: '-' },
      'duplicates at the authority': { value: duplicates, target: 0 },
    });
    process.exitCode = result.throughput.ratio >= 0.8 && duplicates === 0 ? 0 : 1;
  } finally {
    await sync.stop();
    await sandbox.close();
  }
}

/** Deliveries per second between the 10th and the 90th percentile of completion times (start-up and tail excluded). */
async function deliveryRate(sync: SyncProcess, n: number): Promise<number> {
  const { rows } = await sync.pool.query<{ t: Date }>(
    `SELECT completed_at AS t FROM ${sync.schema}.deliveries WHERE target = 'authority' AND status = 'accepted' ORDER BY completed_at`,
  );
  const [from, to] = [Math.floor(n * 0.1), Math.floor(n * 0.9)];
  const seconds = (rows[to].t.getTime() - rows[from].t.getTime()) / 1000;
  return (to - from) / seconds;
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
