// Soak: the whole system (sandbox + the four services, each its own process, as test/system/system-harness.ts runs
// them) under a steady load of half its measured capacity for a long time, watched in windows: per service RSS and
// heap used, consumer lag per group, outbox depth, sync's open deliveries, client-side p99 and throughput; then the
// verdict "flat, bounded" (verdict.ts). docs/benchmarks.md, section "Soak".
//   node -r ./test/support/ts-register.js bench/soak/run.ts [--minutes 30] [--window 5] [--rate N]
//   npm run bench -- --only soak [--minutes 6 --window 1]
// Environment: SOAK_MINUTES, SOAK_WINDOW_MINUTES, SOAK_RATE, SOAK_CAPACITY, SOAK_BATCH, SOAK_SAMPLE_S; BENCH_DIST=1
// (services from dist/); SOAK_KEEP=1 (keep schemas, topics). Exits 1 when the verdict is not "flat, bounded".
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { dropSchema, testDatabaseUrl, testKafka, testKafkaBrokers, uniqueName } from '@lib/testing';
import { SERVICES, SystemHarness } from '../../test/system/system-harness';
import { RESULTS_DIR, writeResult } from '../support/result';
import { PacedLoad } from './paced-load';
import { windowTable, verdictTable } from './report';
import { soakOptions, type SoakOptions } from './soak-options';
import { type Sample, SystemProbe } from './system-probe';
import { verdictOf, BOUNDS } from './verdict';
import { type SoakWindow, windowOf } from './windows';

async function main(): Promise<void> {
  const options = soakOptions(process.argv.slice(2), process.env);
  const scope = uniqueName('soak');
  const logDir = resolve(RESULTS_DIR, 'soak-logs', scope);
  log(
    `soak: ${options.minutes} min in windows of ${options.windowMinutes} min at ${options.rate} invoices/s ` +
      `(${options.rateSource}), batches of ${options.batchSize}, a sample every ${options.sampleSeconds} s; ` +
      `services from ${options.runtime}; logs in bench/results/soak-logs/${scope}`,
  );
  const system = await SystemHarness.start({
    runtime: options.runtime,
    databaseUrl: testDatabaseUrl(),
    kafkaBrokers: testKafkaBrokers().join(','),
    scope,
    logDir,
    partitions: 3,
    logLevel: 'warn',
  }).catch(async (error: unknown) => {
    // Services that did start have made their schemas and topics already.
    if (!options.keep) await cleanup(scope);
    throw error;
  });
  const admin = testKafka('bench-soak').admin();
  const db = new Client({ connectionString: testDatabaseUrl() });
  let load: PacedLoad | undefined;
  try {
    await admin.connect();
    await db.connect();
    load = await PacedLoad.register(system, options.rate, options.batchSize);
    const probe = new SystemProbe(system, admin, db);
    const startedAt = new Date();
    let before = await probe.sample();
    load.start();
    const windows: SoakWindow[] = [];
    const count = Math.floor(options.minutes / options.windowMinutes);
    const begin = before.at;
    for (let index = 0; index < count; index++) {
      const end = begin + (index + 1) * options.windowMinutes * 60_000;
      const samples = await sampleUntil(end, options, probe);
      const window = windowOf(index, options.windowMinutes, options.rate, before, samples, load.drain());
      windows.push(window);
      log(windowLine(window));
      before = samples[samples.length - 1];
    }
    await load.stop();
    const verdict = verdictOf(windows, options.windowMinutes, options.rate);
    const result = {
      at: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtEnd: loadavg().map(round2) },
      settings: { ...options, scope, services: [...SERVICES], devices: 9, bounds: BOUNDS },
      windows,
      verdict,
    };
    const written = writeResult('soak', result);
    log(`\n${windowTable(windows)}\n\n${verdictTable(verdict)}\nresult written to ${written}`);
    if (!verdict.flatBounded) process.exitCode = 1;
  } finally {
    await load?.stop();
    await admin.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    await system.stop();
    if (!options.keep) await cleanup(scope);
  }
}

/**
 * Samples every `sampleSeconds` until `end` (epoch ms), the last one at `end`. A service that died ends the soak:
 * its /metrics no longer answers.
 */
async function sampleUntil(end: number, options: SoakOptions, probe: SystemProbe) {
  const samples: Sample[] = [];
  for (;;) {
    const next = Math.min(Date.now() + options.sampleSeconds * 1000, end);
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    samples.push(await probe.sample());
    if (next >= end) return samples;
  }
}

function windowLine(w: SoakWindow): string {
  const memory = Object.entries(w.memory)
    .map(([s, m]) => `${s.replace('device-', '')} ${m.rssMb.median}/${m.heapUsedMb.min} MB`)
    .join(', ');
  const lag = Object.values(w.lag).reduce((n, s) => n + s.max, 0);
  const outbox = Object.values(w.outbox).reduce((n, s) => n + s.max, 0);
  return (
    `window ${w.index + 1} (${w.fromMinute}-${w.toMinute} min${w.index === 0 ? ', warm-up' : ''}): ` +
    `${w.ingest.acceptedPerSecond}/s accepted of ${w.ingest.targetPerSecond}/s, p99 ${w.ingest.latencyMs.p99} ms, ` +
    `delivered ${w.delivered.perSecond}/s; RSS/heap ${memory}; lag max ${lag}, outbox max ${outbox}, ` +
    `sync open max ${w.syncBacklog.max}; CPU % of a core ${Object.values(w.cpuPercent).map(Math.round).join('/')}; ` +
    `load ${w.loadAverage.mean}`
  );
}

/** The run's topics (its prefix) and schemas (`<scope>_<service>`), whichever services got to make them. */
async function cleanup(scope: string): Promise<void> {
  const admin = testKafka('bench-soak-cleanup').admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${scope}.`));
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  const db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  try {
    const { rows } = await db.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1 || '_')",
      [scope],
    );
    for (const { name } of rows) await dropSchema(name);
  } finally {
    await db.end();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
