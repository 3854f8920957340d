// `npm run demo`: a month of a realistic enterprise played through the whole system on local Kafka and PostgreSQL.
// scripts/demo/run-demo.js has installed, built and started the infrastructure before this runs.
import { resolve } from 'node:path';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { DEMO_SCALE, planMonth } from '../../test/system/month-plan';
import { MonthPlayer } from '../../test/system/month-play';
import { checkMonth, observe } from '../../test/system/month-report';
import { scenarioEnv } from '../../test/system/scenario-env';
import { SystemHarness } from '../../test/system/system-harness';
import { DEMO_IDP_PEOPLE } from '@lib/simulators';
import { checkConsole } from './console-check';
import { consoleProgress } from './console-progress';
import { DemoArgumentError, demoDateFrom, type DemoDate } from './demo-date';
import { renderSummary } from './summary';

const ROOT = resolve(__dirname, '../..');
const once = process.argv.includes('--once');
const RECONCILE_LAG_MS = 5_000;
const ESCALATION_MS = 20_000;

async function main(): Promise<number> {
  let date: DemoDate;
  try {
    date = demoDateFrom(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DemoArgumentError)) throw error;
    console.error(`demo: ${error.message}`);
    return 2;
  }
  console.log(`Playing the month as of ${date.label}`);
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoice_sync';
  const databaseUrl = await freshDatabase(baseUrl, 'invoice_sync_demo');
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const kafka = new Kafka({ clientId: 'demo', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await deleteOldDemoTopics(admin);
  const scope = `demo_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const progress = consoleProgress();
  progress.step(
    'Starting the sandbox (with its IdP), the four services and the console (logs in .cache/demo)',
  );
  const system = await SystemHarness.start({
    runtime: 'dist',
    databaseUrl,
    kafkaBrokers: brokers,
    scope,
    logDir: resolve(ROOT, '.cache/demo', scope),
    servicePorts: { 'device-gateway': 3000, sync: 3001, reconcile: 3002, notifier: 3003 },
    sandboxPorts: { control: 7100, authority: 7101, baiwang: 7102, nuonuo: 7103, sms: 7104, smtp: 7125 },
    env: scenarioEnv({ reconcileLagMs: RECONCILE_LAG_MS, escalationAfterMs: ESCALATION_MS }),
    partitions: 6,
    clockOffsetMs: date.offsetMs,
    console: true,
    consolePort: 3004,
  });
  const stop = async () => {
    await system.stop();
    await admin.disconnect().catch(() => undefined);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  progress.done();
  printConsole(system);
  try {
    const plan = planMonth(DEMO_SCALE, system.clock.now());
    const player = new MonthPlayer(system, plan, admin, progress, {
      reconcileLagMs: RECONCILE_LAG_MS,
      alertWaitMs: 2 * ESCALATION_MS + 5_000,
      settleTimeoutMs: 900_000,
    });
    const play = await player.play();
    const seen = await observe(system, plan);
    const checks = [...checkMonth(plan, play, seen), ...(await checkConsole(system, databaseUrl))];
    progress.done();
    console.log(await renderSummary(system, plan, play, seen, checks));
    const ok = checks.every((c) => c.ok);
    if (once && ok) {
      await stop();
      return 0;
    }
    printUrls(system);
    if (once)
      console.log('\nSome checks failed (above): the services keep running for a look. Ctrl-C stops them.');
    else console.log('\nThe services keep running. Ctrl-C stops them.');
    await new Promise(() => undefined);
    return ok ? 0 : 1;
  } catch (error) {
    progress.done();
    console.error(error);
    printUrls(system);
    console.log(
      '\nThe demo stopped on an error (above); the services keep running for a look. Ctrl-C stops them.',
    );
    await new Promise(() => undefined);
    return 1;
  }
}

function printConsole(system: SystemHarness): void {
  console.log(`\nThe finance console: ${system.consoleUrl}   (sign in as one of these demo people)`);
  for (const person of DEMO_IDP_PEOPLE) {
    const branches = person.branches.length ? `  branches ${person.branches.join(', ')}` : '';
    console.log(
      `  ${person.username.padEnd(10)} password ${person.password.padEnd(22)} ${person.roles.join(', ')}${branches}`,
    );
  }
}

function printUrls(system: SystemHarness): void {
  const t = system.secrets;
  printConsole(system);
  console.log("\nServices (OpenAPI at /docs, Prometheus at /metrics; tokens are this run's own):");
  console.log(`  device-gateway  ${system.urls['device-gateway']}/docs   admin token ${t.gatewayAdminToken}`);
  console.log(`  sync            ${system.urls.sync}/docs   admin token ${t.syncAdminToken}`);
  console.log(`  reconcile       ${system.urls.reconcile}/v1/findings   API token ${t.reconcileApiToken}`);
  console.log(
    `  notifier        ${system.urls.notifier}/v1/notifications   admin token ${t.notifierAdminToken}`,
  );
  console.log(
    `  sandbox         ${system.sandboxUrls.control}/__sandbox/state   (mail: /__sandbox/mail, SMS: /__sandbox/sms)`,
  );
}

/** The demo writes into its own database, recreated on every run, so it never mixes with real data. */
async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function deleteOldDemoTopics(admin: ReturnType<Kafka['admin']>): Promise<void> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith('demo_'));
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
