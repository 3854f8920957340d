/**
 * The ceiling the sync benchmark can reach on this machine, on its own: the sandbox (authority, 20 ms added
 * latency) in its own process, driven by the bare AuthorityAdapter from another process at the same concurrency,
 * with no sync, database or Kafka in the path (bench/sync/run.ts measures the same first, back to back with sync).
 * If this is itself well below concurrency × 1000 / latency, the benchmark's ratio is bounded by the CPU of the
 * sandbox and the client on this machine, not by sync's delivery worker.
 *   node -r ./test/support/ts-register.js bench/sync/sandbox-baseline.ts
 * Env: BENCH_N (3000), BENCH_CONCURRENCY (16), BENCH_DIST=1 (the sandbox from dist/).
 */
// eslint-disable-next-line no-restricted-imports -- a fresh seller, like the benchmark's
import { newSeller } from '../../apps/sync/test/e2e/support/sandbox-env';
import { measureCeiling } from './ceiling';
import { SandboxProcess } from './sandbox-process';

const N = Number(process.env.BENCH_N ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_MS = 20;

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function main(): Promise<void> {
  const sandbox = new SandboxProcess();
  try {
    await sandbox.start({ SANDBOX_SEED: 'sync-bench', SANDBOX_VISIBILITY_LAG_MS: '0' });
    await sandbox.setFaults('authority', { latency: { fixedMs: LATENCY_MS } });
    const report = await measureCeiling(sandbox, {
      invoices: N,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      seller: newSeller(),
    });
    console.table({
      'raw client deliveries/s (p10-p90)': { value: report.deliveriesPerSecond },
      'ratio to concurrency × 1000 / latency': { value: report.ratio },
      'mean upload as the client saw it (ms)': { value: report.meanCallMs },
      'CPU of the client process, % of one core': { value: report.cpu.percentOfOneCore.client },
      'CPU of the sandbox process, % of one core': { value: report.cpu.percentOfOneCore.sandbox },
      'machine busy, % of all cores': { value: report.cpu.machineBusyPercent },
    });
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
