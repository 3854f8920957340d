/**
 * The ceiling of the sync benchmark on this machine: the sandbox's authority (in its own process, 20 ms added
 * latency) driven by the bare AuthorityAdapter from another process at the same concurrency, with no sync, database
 * or Kafka in the path. What sync's deliveries/s can at best reach here; measured with the CPU of each process.
 * This file is also the client process's entry (RAW_CLIENT_URL set).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SystemClock } from '@lib/common';
import { AuthorityAdapter, DeliveryRequest } from '@lib/providers';
import { DEV_CREDENTIALS } from '@lib/simulators';
// eslint-disable-next-line no-restricted-imports -- test fixtures
import { blueInvoice } from '../../apps/sync/test/support/invoices';
import { CpuMeter, CpuWindow } from '../support/cpu';
import type { SandboxProcess } from './sandbox-process';

export interface CeilingReport {
  invoices: number;
  concurrency: number;
  latencyMs: number;
  /** Deliveries/s between the 10th and the 90th percentile of completions. */
  deliveriesPerSecond: number;
  bound: number;
  ratio: number;
  /** Mean time of one upload as the client saw it (ms), and each slot's time per delivery. */
  meanCallMs: number;
  slotMsPerDelivery: number;
  cpu: CpuWindow;
}

interface ClientReport {
  rate: number;
  meanCallMs: number;
  /** The client's CPU between its first upload and its last, % of one core. */
  cpuPercent: number;
}

/** Client process: `n` uploads at `concurrency`, deliveries/s between the 10th and 90th percentile of completions. */
async function client(baseURL: string, n: number, concurrency: number, seller: string): Promise<void> {
  const { appId, appSecret } = DEV_CREDENTIALS.authority;
  const adapter = new AuthorityAdapter(
    {
      baseURL,
      appId,
      appSecret,
      timeoutMs: 2_000,
      maxSockets: concurrency,
      breaker: { volumeThreshold: 1_000_000 },
    },
    new SystemClock(),
  );
  const requests: DeliveryRequest[] = Array.from({ length: n }, (_, i) => {
    const invoice = blueInvoice({ sellerTaxNo: seller });
    return {
      invoiceKey: invoice.number,
      kind: 'issued',
      invoice,
      serialNo: `SYBENCH${process.pid}${String(i).padStart(8, '0')}`,
    };
  });
  const done: number[] = [];
  let callMs = 0;
  let next = 0;
  process.stdout.write(`${JSON.stringify({ started: true })}\n`);
  const cpu = process.cpuUsage();
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const started = performance.now();
        const answer = await adapter.upload(requests[next++]);
        if (answer.status !== 'accepted') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
        const now = performance.now();
        callMs += now - started;
        done.push(now);
      }
    }),
  );
  const [from, to] = [Math.floor(n * 0.1), Math.floor(n * 0.9)];
  const used = process.cpuUsage(cpu);
  const report: ClientReport = {
    rate: (to - from) / ((done[to] - done[from]) / 1000),
    meanCallMs: callMs / n,
    cpuPercent: (used.user + used.system) / 10 / (performance.now() - startedAt),
  };
  adapter.shutdown();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Runs the bare client in its own process against `sandbox` (latency already set) and measures each process's CPU. */
export async function measureCeiling(
  sandbox: SandboxProcess,
  options: { invoices: number; concurrency: number; latencyMs: number; seller: string },
): Promise<CeilingReport> {
  const child = spawn(
    process.execPath,
    ['-r', resolve(__dirname, '../../test/support/ts-register.js'), __filename],
    {
      env: {
        ...process.env,
        RAW_CLIENT_URL: sandbox.urls.authority,
        RAW_CLIENT_N: String(options.invoices),
        RAW_CLIENT_CONCURRENCY: String(options.concurrency),
        RAW_CLIENT_SELLER: options.seller,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // The sandbox's CPU is measured while the client uploads (its start-up is not counted); the client measures its own.
  const cpu = new CpuMeter({ sandbox: () => [sandbox.pid] });
  let window: Promise<CpuWindow> | undefined;
  let report: ClientReport | undefined;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!text.startsWith('{')) {
        process.stdout.write(`${text}\n`); // not ours: some library's output
        continue;
      }
      const line = JSON.parse(text) as ClientReport | { started: true };
      if ('started' in line) void cpu.start();
      else {
        report = line;
        window = cpu.stop();
      }
    }
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0 || !report || !window) throw new Error(`ceiling client exited ${code} without a report`);
  const measured = await window;
  measured.percentOfOneCore.client = Math.round(report.cpuPercent * 10) / 10;
  const bound = (options.concurrency * 1000) / options.latencyMs;
  return {
    invoices: options.invoices,
    concurrency: options.concurrency,
    latencyMs: options.latencyMs,
    deliveriesPerSecond: round(report.rate),
    bound,
    ratio: round(report.rate / bound),
    meanCallMs: round(report.meanCallMs),
    slotMsPerDelivery: round((options.concurrency * 1000) / report.rate),
    cpu: measured,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

if (require.main === module && process.env.RAW_CLIENT_URL) {
  client(
    process.env.RAW_CLIENT_URL,
    Number(process.env.RAW_CLIENT_N),
    Number(process.env.RAW_CLIENT_CONCURRENCY),
    String(process.env.RAW_CLIENT_SELLER),
  ).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
