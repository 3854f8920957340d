import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { parse } from 'yaml';
import { pollUntil, requestJson } from '@lib/testing';
import { waitForExit } from '../../test/support/child-process';
import { freePort } from '../../test/support/free-port';

const ROOT = resolve(__dirname, '../..');

export interface ServiceRunResult {
  /** `dist` (after npm run build) or `sources (ts-register)`. */
  entry: string;
  /** NODE_OPTIONS of the process: the Helm chart's (apps.reconcile.nodeOptions) unless BENCH_RECONCILE_NODE_OPTIONS says otherwise. */
  nodeOptions: string;
  runId: string;
  state: string;
  pullMs: number;
  compareMs: number;
  totalMs: number;
  /** VmHWM of the reconcile process: its peak resident set, start-up included. */
  peakRssMb: number;
  /** VmRSS once the service was ready, before the run. */
  readyRssMb: number;
}

/**
 * One reconciliation of the benchmark's scope by the reconcile service itself (apps/reconcile/src/main.ts in its own
 * process, as deployed: Nest, its Kafka consumers and outbox relay, the run worker), started through its API; the
 * peak RSS is the kernel's high-water mark of that process. From dist/ when built (as in production), else from the
 * sources through the test loader (which carries the swc compiler: some 30 MB more).
 */
export async function reconcileInService(options: {
  databaseUrl: string;
  schema: string;
  kafkaBrokers: string;
  authorityUrl: string;
  credentials: { appId: string; appSecret: string };
  taxNo: string;
  period: string;
}): Promise<ServiceRunResult> {
  const nodeOptions = process.env.BENCH_RECONCILE_NODE_OPTIONS ?? chartNodeOptions();
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const prefix = `bench-reconcile-${Date.now().toString(36)}.`;
  const built = resolve(ROOT, 'dist/apps/reconcile/src/main.js');
  const useDist = existsSync(built) && process.env.BENCH_RECONCILE_SOURCES !== '1';
  const args = useDist
    ? [built]
    : ['-r', resolve(ROOT, 'test/support/ts-register.js'), resolve(ROOT, 'apps/reconcile/src/main.ts')];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NODE_OPTIONS: nodeOptions,
      PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      DB_SCHEMA: options.schema,
      KAFKA_BROKERS: options.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '1',
      LOG_LEVEL: 'warn',
      AUTHORITY_BASE_URL: options.authorityUrl,
      AUTHORITY_APP_ID: options.credentials.appId,
      AUTHORITY_APP_SECRET: options.credentials.appSecret,
      AUTHORITY_TIMEOUT_MS: '30000',
      RECONCILE_API_TOKEN: token,
      RECONCILE_SCHEDULER_ENABLED: 'false',
      RECONCILE_PULL_MIN_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const base = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(
      () =>
        fetch(`${base}/readyz`)
          .then((r) => r.status)
          .catch(() => 0),
      (status) => status === 200,
      { timeoutMs: 120_000, intervalMs: 250, what: 'reconcile ready' },
    );
    const readyRssMb = procStatusMb(child.pid!, 'VmRSS');
    const started = await requestJson(
      base,
      'POST',
      '/v1/reconciliations',
      { taxNo: options.taxNo, period: options.period },
      token,
    );
    if (started.status !== 202)
      throw new Error(`POST /v1/reconciliations: ${started.status} ${JSON.stringify(started.body)}`);
    const runId = (started.body as { runId: string }).runId;
    const run = await pollUntil(
      async () =>
        (await requestJson(base, 'GET', `/v1/reconciliations/${runId}`, undefined, token)).body as Record<
          string,
          unknown
        >,
      (body) => ['completed', 'incomplete', 'failed'].includes(String(body?.state)),
      { timeoutMs: 30 * 60_000, intervalMs: 500, what: `run ${runId} finished` },
    );
    const timings = run.timings as { pullMs: number; compareMs: number; totalMs: number };
    return {
      entry: useDist ? 'dist' : 'sources (ts-register)',
      nodeOptions,
      runId,
      state: String(run.state),
      ...timings,
      peakRssMb: procStatusMb(child.pid!, 'VmHWM'),
      readyRssMb,
    };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(stop, 15_000);
    await waitForExit(child);
    clearTimeout(timer);
    process.removeListener('exit', stop);
    await dropTopics(options.kafkaBrokers, prefix);
  }
}

/** The reconcile Deployment's NODE_OPTIONS (deploy/helm/invoice-sync/values.yaml), so the benchmark runs it as deployed. */
function chartNodeOptions(): string {
  const values = parse(readFileSync(resolve(ROOT, 'deploy/helm/invoice-sync/values.yaml'), 'utf8')) as {
    apps: { reconcile: { nodeOptions?: string } };
  };
  return values.apps.reconcile.nodeOptions ?? '';
}

function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

async function dropTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'bench-reconcile',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
