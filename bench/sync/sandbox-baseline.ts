/**
 * The ceiling the sync benchmark can reach on this machine: the same sandbox (authority, 20 ms added
 * latency, in this process as in bench/sync/run.ts) driven by the raw AuthorityAdapter from a separate
 * process (where sync would run) at the same concurrency, with no sync, database or Kafka in the path.
 * If this is itself well below concurrency × 1000 / latency, the benchmark's ratio is bounded by the CPU
 * of the sandbox/benchmark process and the client on this machine, not by sync's delivery worker.
 *   node -r ./test/support/ts-register.js bench/sync/sandbox-baseline.ts
 * Env: BENCH_N (3000), BENCH_CONCURRENCY (16).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SystemClock } from '@lib/common';
import { AuthorityAdapter, DeliveryRequest } from '@lib/providers';
// eslint-disable-next-line no-restricted-imports -- runs against the sandbox simulators, like the benchmark
import { DEV_CREDENTIALS } from '../../apps/sandbox/src';
// eslint-disable-next-line no-restricted-imports -- the benchmark's own sandbox set-up
import { e2eSandbox, newSeller } from '../../apps/sync/test/e2e/support/sandbox-env';
// eslint-disable-next-line no-restricted-imports -- test fixtures
import { blueInvoice } from '../../apps/sync/test/support/invoices';

const N = Number(process.env.BENCH_N ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_MS = 20;

interface ClientReport {
  rate: number;
  cpuPercent: number;
}

/** Client process: N uploads at CONCURRENCY, deliveries/s between the 10th and 90th percentile of completions. */
async function client(baseURL: string): Promise<void> {
  const { appId, appSecret } = DEV_CREDENTIALS.authority;
  const adapter = new AuthorityAdapter(
    { baseURL, appId, appSecret, timeoutMs: 2_000, maxSockets: CONCURRENCY, breaker: { volumeThreshold: 1_000_000 } },
    new SystemClock(),
  );
  const seller = newSeller();
  const requests: DeliveryRequest[] = Array.from({ length: N }, (_, i) => {
    const invoice = blueInvoice({ sellerTaxNo: seller });
    return { invoiceKey: invoice.number, kind: 'issued', invoice, serialNo: `SYBENCH${process.pid}${String(i).padStart(8, '0')}` };
  });
  const done: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const answer = await adapter.upload(requests[next++]);
        if (answer.status !== 'accepted') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
        done.push(performance.now());
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const [from, to] = [Math.floor(N * 0.1), Math.floor(N * 0.9)];
  const report: ClientReport = {
    rate: (to - from) / ((done[to] - done[from]) / 1000),
    cpuPercent: (used.user + used.system) / 10 / (performance.now() - started),
  };
  adapter.shutdown();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runClient(baseURL: string): Promise<ClientReport> {
  const child = spawn(process.execPath, ['-r', resolve(__dirname, '../../test/support/ts-register.js'), __filename], {
    env: { ...process.env, RAW_CLIENT_URL: baseURL },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolveReport, reject) =>
    child.once('exit', (code) => (code === 0 ? resolveReport(JSON.parse(out.trim()) as ClientReport) : reject(new Error(`client exited ${code}`)))),
  );
}

async function main(): Promise<void> {
  const sandbox = await e2eSandbox();
  try {
    sandbox.control.setFaults('authority', { latency: { fixedMs: LATENCY_MS } });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await runClient(sandbox.urls.authority);
    const used = process.cpuUsage(cpu);
    const bound = (CONCURRENCY * 1000) / LATENCY_MS;
    const round = (n: number) => Math.round(n * 100) / 100;
    console.table({
      'raw client deliveries/s (p10-p90)': { value: round(report.rate) },
      'ratio to concurrency × 1000 / latency': { value: round(report.rate / bound) },
      'CPU of the client process, % of one core': { value: round(report.cpuPercent) },
      'CPU of the sandbox process, % of one core': { value: round((used.user + used.system) / 10 / (performance.now() - started)) },
    });
  } finally {
    await sandbox.close();
  }
}

const entry = process.env.RAW_CLIENT_URL ? client(process.env.RAW_CLIENT_URL) : main();
entry.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
