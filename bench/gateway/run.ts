// Gateway benchmark: HTTP → PostgreSQL → Kafka, end to end, against the real local PostgreSQL and Kafka.
// Run: node -r ./test/support/ts-register.js bench/gateway/run.ts   (BENCH_INVOICES=20000 for a quick run)
// Settings (environment): BENCH_INVOICES, BENCH_HALF_INVOICES, BENCH_DEVICES, BENCH_BATCH, BENCH_REPLICAS,
// BENCH_WARMUP, BENCH_DIST=1 (run dist/ after npm run build), BENCH_CPU_PROF=1 (V8 profiles in bench/results/profiles),
// BENCH_KEEP=1 (keep schema and topics), BENCH_LOGS=1 (gateway logs on stdout).
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { TOPICS } from '@lib/contracts';
import { DeviceClient, GatewayAdminClient, SampleInvoices } from '@lib/device-client';
import { withUsccCheckDigit } from '@lib/domain';
import { ensureTopics } from '@lib/messaging';
import { dropSchema, testDatabaseUrl, testKafka, testKafkaBrokers, uniqueName } from '@lib/testing';
import { freePort } from '../../test/support/free-port';
import { writeResult } from '../support/result';
import { runBaseline } from './baseline';
import { startGateway, stopGateway, waitReady } from './gateway-process';
import { KafkaCounter } from './kafka-counter';
import { runLoad, SimulatedDevice } from './load';
import { CpuAccounting } from './process-cpu';
import { perSecond, summarize } from './stats';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const INVOICES = num('BENCH_INVOICES', 200_000);
const DEVICES = num('BENCH_DEVICES', 16);
const BATCH = num('BENCH_BATCH', 100);
const HALF_INVOICES = num('BENCH_HALF_INVOICES', Math.max(10_000, Math.round(INVOICES / 4)));
const WARMUP = num('BENCH_WARMUP', 5_000);
/** Gateway processes on one schema: replicas behind a balancer (devices are spread over them). */
const REPLICAS = num('BENCH_REPLICAS', 2);
/** `inline` (default): every replica may relay (one leads); `dedicated`: the relay runs in one more replica that gets no device traffic. */
const DEDICATED_RELAY = process.env.BENCH_RELAY === 'dedicated';
const TAXPAYERS = ['91440300MA5F8Q2K7', '91310115MA1K4B9X3', '91110108MA01ABCD1', '91330106MA2H3J4K5'].map(
  withUsccCheckDigit,
);
const ADMIN_TOKEN = randomBytes(24).toString('base64url');

interface Replica {
  url: string;
  child: ChildProcess;
}

async function main(): Promise<void> {
  const schema = uniqueName('bench_gw');
  const prefix = `${schema}.`;
  const kafka = testKafka('bench-gateway');
  const env = {
    DATABASE_URL: testDatabaseUrl(),
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    DB_SCHEMA: schema,
    KAFKA_TOPIC_PREFIX: prefix,
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEWAY_MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn',
  };
  const replicas: Replica[] = [];
  const counter = new KafkaCounter(kafka, `${prefix}${TOPICS.invoiceEvents}`);
  let entry = '';
  try {
    // One at a time: the first one migrates the schema and creates the topics. With a dedicated relay, the device
    // replicas do not relay and one more replica, which gets no device traffic, does.
    const profileDir =
      process.env.BENCH_CPU_PROF === '1' ? resolve(__dirname, '../results/profiles') : undefined;
    const start = async (extra: Record<string, string>) => {
      const port = await freePort();
      const started = startGateway({ port, env: { ...env, ...extra }, cpuProfileDir: profileDir });
      entry = started.entry;
      const replica = { url: `http://127.0.0.1:${port}`, child: started.child };
      await waitReady(replica.url);
      return replica;
    };
    const relay = DEDICATED_RELAY ? await start({ GATEWAY_OUTBOX_RELAY: 'true' }) : undefined;
    for (let i = 0; i < REPLICAS; i++)
      replicas.push(await start({ GATEWAY_OUTBOX_RELAY: String(!DEDICATED_RELAY) }));
    log(
      `${REPLICAS} device-facing gateway replica(s)${relay ? ' + 1 relay replica' : ''} from ${entry}; ` +
        `schema ${schema}; ${DEVICES} devices, batches of ${BATCH}`,
    );
    const devices = await registerDevices(replicas.map((r) => r.url));
    await counter.start();
    const cpu = new CpuAccounting(
      [...replicas, ...(relay ? [relay] : [])].map((r) => r.child.pid),
      env.DATABASE_URL,
    );
    if (relay) replicas.push(relay);

    await phase('warm-up', devices, DEVICES, WARMUP, counter, cpu);
    const full = await phase('full load', devices, DEVICES, INVOICES, counter, cpu);
    const half = await phase(
      'half load',
      devices,
      Math.max(1, Math.floor(DEVICES / 2)),
      HALF_INVOICES,
      counter,
      cpu,
    );
    const baseline = await baselineOf(kafka, prefix, counter);

    const report = {
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      settings: {
        invoices: INVOICES,
        halfLoadInvoices: HALF_INVOICES,
        devices: DEVICES,
        batchSize: BATCH,
        replicas: REPLICAS,
        relay: DEDICATED_RELAY ? 'dedicated' : 'inline',
        gateway: entry,
      },
      fullLoad: full,
      halfLoad: half,
      baseline,
      ratioGatewayToBaseline: Math.round((full.invoicesPerSecond / baseline.eventsPerSecond) * 1000) / 1000,
      exactlyOnce: {
        messages: counter.count,
        distinctEventIds: counter.ids.size,
        duplicates: counter.duplicates,
      },
    };
    const written = writeResult('gateway', report);
    log(
      JSON.stringify(
        {
          fullLoad: full,
          halfLoad: half,
          baseline,
          ratio: report.ratioGatewayToBaseline,
          exactlyOnce: report.exactlyOnce,
        },
        null,
        2,
      ),
    );
    log(`results written to ${written}`);
  } finally {
    await counter.stop().catch(() => undefined);
    await Promise.all(replicas.map((r) => stopGateway(r.child)));
    if (process.env.BENCH_KEEP !== '1') await cleanup(schema, prefix);
  }
}

/** Device i talks to replica i mod R, as a balancer spreading long-lived device connections would. */
async function registerDevices(urls: string[]): Promise<SimulatedDevice[]> {
  const admin = new GatewayAdminClient(urls[0], ADMIN_TOKEN);
  const devices: SimulatedDevice[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const taxNo = TAXPAYERS[i % TAXPAYERS.length];
    const device = await admin.mustRegister({
      taxNo,
      branchId: `branch-${i % 8}`,
      name: `bench device ${i}`,
    });
    devices.push({
      client: new DeviceClient({
        baseUrl: urls[i % urls.length],
        deviceId: device.deviceId,
        secret: device.secret,
      }),
      invoices: new SampleInvoices({ sellerTaxNo: taxNo, series: i }),
    });
  }
  return devices;
}

async function phase(
  name: string,
  devices: SimulatedDevice[],
  concurrency: number,
  invoices: number,
  counter: KafkaCounter,
  cpu: CpuAccounting,
) {
  const base = counter.count;
  const cpuBefore = await cpu.snapshot();
  const load = await runLoad(devices, concurrency, invoices, BATCH);
  const inKafkaAt = await counter.reach(base + invoices);
  const cpuAfter = await cpu.snapshot();
  const elapsed = inKafkaAt - load.startedAt;
  const result = {
    concurrency,
    invoices,
    requests: load.requests,
    notAccepted: load.notAccepted,
    invoicesPerSecond: perSecond(invoices, elapsed),
    answeredPerSecond: perSecond(invoices, load.sentAt - load.startedAt),
    endToEndMs: elapsed,
    drainAfterLastAnswerMs: inKafkaAt - load.sentAt,
    requestLatencyMs: summarize(load.latenciesMs),
    cpuMsPerInvoice: CpuAccounting.perInvoice(cpuBefore, cpuAfter, invoices),
  };
  log(
    `${name}: ${invoices} invoices, ${concurrency} devices → ${result.invoicesPerSecond} invoices/s end to end; ` +
      `p50 ${result.requestLatencyMs.p50} ms, p99 ${result.requestLatencyMs.p99} ms per request of ${BATCH}; ` +
      `answered ${result.answeredPerSecond}/s, Kafka drained ${result.drainAfterLastAnswerMs} ms after the last answer; ` +
      `CPU ms/invoice ${JSON.stringify(result.cpuMsPerInvoice)}`,
  );
  return result;
}

async function baselineOf(kafka: ReturnType<typeof testKafka>, prefix: string, counter: KafkaCounter) {
  const topic = `${prefix}bench.baseline.v1`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ name: topic, partitions: 6 }]);
  await admin.disconnect();
  const run = await runBaseline(kafka, topic, counter.sample, INVOICES, DEVICES, BATCH);
  const eventsPerSecond = perSecond(run.invoices, run.ms);
  log(`baseline kafkajs producer (acks=all, idempotent), same events: ${eventsPerSecond} events/s`);
  return { eventsPerSecond, events: run.invoices, ms: run.ms };
}

async function cleanup(schema: string, prefix: string): Promise<void> {
  const admin = testKafka('bench-cleanup').admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  await dropSchema(schema);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
