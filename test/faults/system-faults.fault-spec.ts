// The whole system under faults, each service in its own process, on a Kafka broker of its own (this suite kills it,
// and other suites share the default one). After each fault: every accepted invoice is in sync's ledger, in
// reconcile's projection and at the authority exactly once, nothing is left undelivered, and nobody had to step in.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { DeviceClient, GatewayAdminClient } from '@lib/device-client';
import { dropSchema, REPO_ROOT, requestJson, testDatabaseUrl, uniqueName } from '@lib/testing';
import { buildEnterprise, type Device } from '../system/enterprise';
import { INVOICE_TYPES, InvoiceFactory, type ScenarioItem } from '../system/invoice-factory';
import { waitQuiet } from '../system/quiescence';
import { scenarioEnv } from '../system/scenario-env';
import { SERVICES, SystemHarness } from '../system/system-harness';

jest.setTimeout(900_000);

const KAFKA_ENV = {
  ...process.env,
  KAFKA_PORT: process.env.FAULTS_KAFKA_PORT ?? '19092',
  KAFKA_CONTROLLER_PORT: process.env.FAULTS_KAFKA_CONTROLLER_PORT ?? '19093',
  KAFKA_CACHE_DIR: join(REPO_ROOT, '.cache', 'kafka-faults'),
  KAFKA_REQUIRE_OWN: '1',
};
const kafkaCtl = (command: string) =>
  execFileSync('bash', [join(REPO_ROOT, 'deploy/kafka/kafka.sh'), command], {
    env: KAFKA_ENV,
    stdio: 'pipe',
  });

/** Restarts the local PostgreSQL cluster on 5432 (Debian's pg_ctlcluster, as deploy/postgres/ensure.sh uses): every connection drops. */
function restartPostgres(): void {
  const clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const line = clusters.split('\n').find((l) => l.trim().split(/\s+/)[2] === '5432');
  if (!line) throw new Error(`no local PostgreSQL cluster on port 5432 to restart:\n${clusters}`);
  const [version, cluster] = line.trim().split(/\s+/);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'restart', '-m', 'fast'], {
    stdio: 'pipe',
  });
}

interface Row {
  fault: string;
  sent: number;
  accepted: number;
  syncLedger: number;
  reconcileLedger: number;
  atAuthority: number;
  authorityDuplicates: number;
  baiwangDuplicates: number;
  undelivered: number;
  recoveredInSeconds: number;
}

describe('the system under faults', () => {
  const scope = uniqueName('faults');
  const rows: Row[] = [];
  const factories = new Map<number, InvoiceFactory>();
  let system: SystemHarness;
  let admin: Admin;
  let db: Client;
  let devices: Device[];
  let accepted = 0;
  let sent = 0;
  let variant = 0;

  beforeAll(async () => {
    kafkaCtl('start');
    const brokers = `127.0.0.1:${KAFKA_ENV.KAFKA_PORT}`;
    admin = new Kafka({ clientId: 'faults', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    db = await connectDb();
    system = await SystemHarness.start({
      runtime: 'ts',
      databaseUrl: testDatabaseUrl(),
      kafkaBrokers: brokers,
      scope,
      logDir: join(REPO_ROOT, '.cache', 'test-logs', scope),
      env: scenarioEnv({ reconcileLagMs: 3_000 }),
      logLevel: 'warn',
    });
    const enterprise = buildEnterprise({ taxpayers: 3, branches: 3, devicesPerBranch: 1 });
    devices = enterprise.devices;
    const gateway = new GatewayAdminClient(system.urls['device-gateway'], system.secrets.gatewayAdminToken);
    for (const device of devices) {
      const created = await gateway.mustRegister({
        taxNo: device.branch.taxpayer.taxNo,
        branchId: device.branch.branchId,
        name: device.name,
      });
      Object.assign(device, { deviceId: created.deviceId, secret: created.secret });
      factories.set(device.index, new InvoiceFactory(device));
    }
    for (const t of enterprise.taxpayers) {
      const r = await requestJson(
        system.urls.sync,
        'PUT',
        `/v1/routing/${t.taxNo}`,
        { platforms: t.platforms, allowFailover: t.allowFailover },
        system.secrets.syncAdminToken,
      );
      expect(r.status).toBe(200);
    }
  });

  afterAll(async () => {
    if (rows.length) console.log(`\n${table(rows)}\n`);
    await system?.stop();
    if (system) for (const service of SERVICES) await dropSchema(system.schemaOf(service));
    await db?.end();
    await admin?.disconnect();
    kafkaCtl('stop');
  });

  /** Sends `count` new invoices spread over the devices in batches of 10, retrying what the gateway could not take. */
  async function ingest(
    count: number,
    onProgress?: (sentByThisCall: number) => Promise<void>,
  ): Promise<void> {
    const items: [Device, ScenarioItem][] = Array.from({ length: count }, (_, i) => {
      const device = devices[i % devices.length];
      const type = INVOICE_TYPES[variant % INVOICE_TYPES.length];
      return [device, factories.get(device.index)!.blue(type, new Date(Date.now() - 3_600_000), variant++)];
    });
    for (let i = 0; i < items.length; i += 10) {
      const chunk = items.slice(i, i + 10);
      for (const device of devices) {
        const mine = chunk.filter(([d]) => d === device).map(([, item]) => item);
        if (mine.length) accepted += await sendUntilStored(device, mine);
      }
      sent += chunk.length;
      await onProgress?.(i + chunk.length);
    }
  }

  async function sendUntilStored(device: Device, items: ScenarioItem[]): Promise<number> {
    const client = new DeviceClient({
      baseUrl: system.urls['device-gateway'],
      deviceId: device.deviceId!,
      secret: device.secret!,
      timeoutMs: 10_000,
    });
    for (let attempt = 0; attempt < 60; attempt++) {
      const response = await client.postInvoices(items).catch(() => null);
      if (response?.status === 200)
        return response.body.results.filter((r) => r.status === 'accepted').length;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    throw new Error('the gateway never took the batch');
  }

  async function settleAndRecord(fault: string, faultEndedAt: number): Promise<Row> {
    await waitQuiet(system, admin, { timeoutMs: 300_000, ignoreNotifier: true });
    if (
      !(await db.query('SELECT 1').then(
        () => true,
        () => false,
      ))
    ) {
      db = await connectDb();
    }
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
    const state = await system.sandbox.state();
    const row: Row = {
      fault,
      sent,
      accepted,
      syncLedger: await count(`SELECT count(*) AS n FROM ${system.schemaOf('sync')}.invoices`),
      reconcileLedger: await count(
        `SELECT count(*) AS n FROM ${system.schemaOf('reconcile')}.ledger_invoices`,
      ),
      atAuthority: state.authority.store.records,
      authorityDuplicates: state.authority.duplicates,
      baiwangDuplicates: state.baiwang.duplicates,
      undelivered: await count(
        `SELECT count(*) AS n FROM ${system.schemaOf('sync')}.deliveries WHERE status NOT IN ('accepted', 'relayed')`,
      ),
      recoveredInSeconds: Math.round((Date.now() - faultEndedAt) / 1000),
    };
    rows.push(row);
    return row;
  }

  function expectIntact(row: Row): void {
    expect({ ...row, recoveredInSeconds: 0 }).toEqual({
      ...row,
      recoveredInSeconds: 0,
      accepted: row.sent,
      syncLedger: row.sent,
      reconcileLedger: row.sent,
      atAuthority: row.sent,
      authorityDuplicates: 0,
      baiwangDuplicates: 0,
      undelivered: 0,
    });
  }

  it('kill -9 of the Kafka broker during ingest: the gateway keeps accepting, nothing is lost', async () => {
    let killedAt = 0;
    await ingest(120, async (n) => {
      if (n === 40) {
        kafkaCtl('kill');
        killedAt = Date.now();
      }
      if (n === 80) kafkaCtl('start');
    });
    expect(killedAt).toBeGreaterThan(0);
    expectIntact(await settleAndRecord('kill -9 Kafka during ingest', Date.now()));
  });

  it('kill -9 of sync mid-delivery: restarted, it delivers the rest once', async () => {
    await system.sandbox.setFaults('authority', { latency: { fixedMs: 300 } });
    await ingest(90);
    await system.kill('sync');
    await system.sandbox.clearFaults('authority');
    await system.startService('sync');
    expectIntact(await settleAndRecord('kill -9 sync mid-delivery', Date.now()));
  });

  it('responses lost after the target accepted: looked up, never sent twice', async () => {
    await system.sandbox.setFaults('authority', {
      responseLost: { probability: 0.3 },
      operations: ['upload'],
    });
    await system.sandbox.setFaults('baiwang', {
      responseLost: { probability: 0.3 },
      operations: ['baiwang.output.invoice.upload'],
    });
    await ingest(90);
    await waitQuiet(system, admin, { timeoutMs: 300_000, ignoreNotifier: true });
    const lost = (await system.sandbox.state()).authority.faults.responsesLost;
    await system.sandbox.clearFaults();
    expect(lost).toBeGreaterThan(0);
    expectIntact(await settleAndRecord('30 % of responses lost after accept', Date.now()));
  });

  it('a 20 s authority outage: relayed or retried, then delivered once', async () => {
    await system.sandbox.setFaults('authority', { outage: { durationMs: 20_000, retryAfterSeconds: 2 } });
    const endsAt = Date.now() + 20_000;
    await ingest(90);
    expectIntact(await settleAndRecord('20 s authority outage', endsAt));
  });

  it('PostgreSQL restarted during ingest and delivery: every service reconnects by itself, nothing lost', async () => {
    await system.sandbox.setFaults('authority', { latency: { fixedMs: 100 } });
    let restartedAt = 0;
    await ingest(90, async (n) => {
      if (n === 30) {
        restartPostgres();
        restartedAt = Date.now();
      }
    });
    await system.sandbox.clearFaults('authority');
    expect(restartedAt).toBeGreaterThan(0);
    for (const service of SERVICES) expect(system.isRunning(service)).toBe(true);
    expectIntact(await settleAndRecord('PostgreSQL restarted mid-stream', restartedAt));
  });

  it('poison messages go to the DLQ and the partitions move on', async () => {
    const producer = new Kafka({
      clientId: 'poison',
      brokers: [`127.0.0.1:${KAFKA_ENV.KAFKA_PORT}`],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const topic = `${system.topicPrefix}invoice.events.v1`;
    await producer.send({
      topic,
      messages: Array.from({ length: 5 }, (_, i) => ({
        key: `poison-${i}`,
        value: i % 2 ? '{"not json' : '{"id":"x"}',
      })),
    });
    await producer.disconnect();
    await ingest(30);
    const row = await settleAndRecord('5 poison messages among the events', Date.now());
    expectIntact(row);
    const dlq = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBeGreaterThanOrEqual(5 * 2);
  });
});

/** A client that survives the restart test: a dropped connection is an event here, not a crash of the test. */
async function connectDb(): Promise<Client> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function table(rows: Row[]): string {
  const head = [
    'fault',
    'sent',
    'accepted',
    'sync ledger',
    'reconcile',
    'at authority',
    'dup auth',
    'dup baiwang',
    'undelivered',
    'recovered s',
  ];
  const body = rows.map((r) =>
    [
      r.fault,
      r.sent,
      r.accepted,
      r.syncLedger,
      r.reconcileLedger,
      r.atAuthority,
      r.authorityDuplicates,
      r.baiwangDuplicates,
      r.undelivered,
      r.recoveredInSeconds,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
