import { ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ManualClock } from '@lib/common';
import { DeviceClient, GatewayAdminClient } from '@lib/device-client';
import { periodOf, previousPeriod, withUsccCheckDigit } from '@lib/domain';
import { bootstrapService } from '@lib/platform';
import {
  dropSchema,
  dropTestScope,
  pollUntil,
  requestJson,
  serviceTestEnv,
  startTestIssuer,
  testKafka,
  TestIssuer,
  uniqueName,
} from '@lib/testing';
import { killHard, spawnTs } from '../../../test/support/child-process';
import { freePort } from '../../../test/support/free-port';
import { ReconcileAppModule } from '../src/app.module';
import { InvoiceCheck, InvoiceCheckChannel, InvoiceToCheck } from '../src/pull/invoice-check.port';
import { loadReconcileConfig } from '../src/reconcile.config';
import { RECONCILE_CONSUMER_GROUP } from '../src/reconcile.tokens';

jest.setTimeout(180_000);

const TAX_NO = withUsccCheckDigit('91440300MA5F8Q2K7');
const GATEWAY_ADMIN_TOKEN = randomBytes(24).toString('base64url');

/** The authority as the per-invoice channel sees it: an answer per invoice key, set by the test; every question kept. */
class ScriptedAuthority implements InvoiceCheckChannel {
  readonly name = 'authority-verify';
  readonly asked: string[] = [];
  private readonly answers = new Map<string, InvoiceCheck>();

  answer(key: string, check: InvoiceCheck): void {
    this.answers.set(key, check);
  }

  async check(_taxNo: string, invoice: InvoiceToCheck): Promise<InvoiceCheck> {
    this.asked.push(invoice.invoiceKey);
    return this.answers.get(invoice.invoiceKey) ?? { outcome: 'absent', detail: '查验 02 no record' };
  }
}

/**
 * The guided reset against the real device gateway (its own process, its own schema) and reconcile in this process, on
 * real PostgreSQL, with people's tokens from a test IdP that both trust. The gateway judges each person itself:
 * reconcile forwards the caller's token. The ledger and device projections are seeded in reconcile's schema; the
 * authority's answers come from a scripted per-invoice channel.
 */
describe('device resets (reconcile + the real device gateway, PostgreSQL)', () => {
  const clock = new ManualClock(new Date());
  const authority = new ScriptedAuthority();
  const schema = uniqueName('reconcile_resets');
  const gwSchema = uniqueName('gw_resets');
  let issuer: TestIssuer;
  let gateway: ChildProcess;
  let gatewayUrl: string;
  let app: INestApplication;
  let db: DataSource;
  let url: string;
  let kafkaAdmin: Admin;
  let admin: string;
  let opsOnly: string;
  let clerkSz: string;
  let auditor: string;
  const open = periodOf(clock.now());
  const previous = previousPeriod(open);

  const api = (method: string, path: string, token: string | null, body?: unknown) =>
    requestJson(url, method, path, body, token);
  const query = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)) as T[];
  const gwAdmin = () => new GatewayAdminClient(gatewayUrl, GATEWAY_ADMIN_TOKEN);
  const device = (deviceId: string, secret: string) =>
    new DeviceClient({ baseUrl: gatewayUrl, deviceId, secret });
  const clearCard = (client: DeviceClient) =>
    client.postClearCard({
      eventId: randomUUID(),
      period: previous,
      status: 'succeeded',
      at: new Date().toISOString(),
      errorCode: null,
      errorMessage: null,
    });

  let number = Math.floor(Math.random() * 1_000_000);
  /** A ledger invoice of the device, as the projection stores it (one content version). */
  const ledger = async (
    deviceId: string,
    period: string,
    receivedAt: Date,
    over: { buyerName?: string } = {},
  ) => {
    number += 1;
    const invoiceNumber = String(number).padStart(8, '0');
    const key = `044031900111-${invoiceNumber}`;
    await query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number,
         colour, state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at, buyer_tax_no, buyer_name)
       VALUES ($1, $2, 'sz-nanshan', $3, $4, 'VAT_SPECIAL', '044031900111', $5, 'blue', 'issued', 100.00, 13.00, 113.00,
               $6, $6, 'ledger', $6, NULL, $7)`,
      [
        key,
        TAX_NO,
        deviceId,
        period,
        invoiceNumber,
        receivedAt,
        over.buyerName ?? '深圳市"前海"科技有限公司',
      ],
    );
    await query(
      `INSERT INTO ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at)
       VALUES ($1, 'h1', 100.00, 13.00, 113.00, $2, $3)`,
      [key, randomUUID(), receivedAt],
    );
    return key;
  };
  const register = async (branchId = 'sz-nanshan', name = `till ${branchId}`) =>
    gwAdmin().mustRegister({ taxNo: TAX_NO, branchId, name });
  const start = async (deviceId: string, mode: 'rotate' | 'replace', token = admin) => {
    const created = await api('POST', '/v1/device-resets', token, {
      deviceId,
      reason: '税控盘故障，清盘重置',
      mode,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const download = async (id: string, token = admin) => {
    const response = await fetch(`${url}/v1/device-resets/${id}/backup.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };
  const step = (id: string, name: string, token = admin, body: unknown = {}) =>
    api('POST', `/v1/device-resets/${id}/steps/${name}`, token, body);

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const people = (sub: string, roles: string[], branches: string[] = [], name = sub) =>
      issuer.token({ sub, name, roles, branches }, { expiresInSeconds: 3_600 });
    admin = await people('admin-1', ['admin'], [], '李静');
    // Admin in reconcile, auditor at the gateway (each service maps the IdP's roles itself).
    opsOnly = await people('ops-1', ['device-ops'], [], '王强');
    clerkSz = await people('clerk-sz', ['branch-clerk'], ['sz-nanshan'], '王芳');
    auditor = await people('auditor-1', ['auditor'], [], '赵敏');

    const gwPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${gwPort}`;
    gateway = spawnTs(resolve(__dirname, '../../device-gateway/src/main.ts'), {
      ...serviceTestEnv({ schema: gwSchema, prefix: `${gwSchema}.`, port: gwPort }),
      ...issuer.env,
      AUTH_ROLE_MAP: JSON.stringify({ 'device-ops': 'auditor' }),
      GATEWAY_ADMIN_TOKEN,
      GATEWAY_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_DEVICE_CACHE_TTL_MS: '0',
      NODE_ENV: 'development',
    });
    const port = await freePort();
    const config = loadReconcileConfig({
      ...serviceTestEnv({ schema, prefix: `${schema}.`, port }),
      ...issuer.env,
      AUTH_ROLE_MAP: JSON.stringify({ 'device-ops': 'admin' }),
      RECONCILE_WORKERS_ENABLED: 'false',
      RECONCILE_SCHEDULER_ENABLED: 'false',
      RECONCILE_GATEWAY_URL: gatewayUrl,
      RECONCILE_GATEWAY_TIMEOUT_MS: '10000',
      RECONCILE_PULL_BACKOFF_MS: '0',
      RECONCILE_CHECK_MIN_INTERVAL_MS: '0',
    });
    app = await bootstrapService({
      module: ReconcileAppModule.forRoot(config, {
        channels: [],
        checkChannels: [authority],
        clock,
      }) as never,
      config,
      title: 'reconcile',
      consumerGroup: RECONCILE_CONSUMER_GROUP,
    });
    url = `http://127.0.0.1:${port}`;
    db = app.get(DataSource);
    kafkaAdmin = testKafka('reconcile-resets-test').admin();
    await kafkaAdmin.connect();
    await pollUntil(
      () => fetch(`${gatewayUrl}/readyz`).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 90_000, intervalMs: 250, what: 'the device gateway ready' },
    );
  });

  afterAll(async () => {
    await app?.close();
    if (gateway) await killHard(gateway);
    if (kafkaAdmin) {
      await dropTestScope(kafkaAdmin, `${schema}.`, schema);
      await dropTestScope(kafkaAdmin, `${gwSchema}.`, gwSchema);
      await kafkaAdmin.disconnect();
    } else {
      await dropSchema(schema);
      await dropSchema(gwSchema);
    }
    await issuer?.close();
  });

  it('walks a rotate reset in order: backup, suspend, rekey, resync, verify, closed, each recorded and audited', async () => {
    const registered = await register();
    const other = await register('sz-nanshan', 'other till');
    const before = new Date(clock.now().getTime() - 3_600_000);
    const keys = [
      await ledger(registered.deviceId, previous, before),
      await ledger(registered.deviceId, open, before),
    ];
    await ledger(registered.deviceId, previousPeriod(previous), before); // older than the backup covers
    await ledger(other.deviceId, open, before); // another device's
    const id = await start(registered.deviceId, 'rotate');

    // Only one open reset per device.
    expect(
      await api('POST', '/v1/device-resets', admin, {
        deviceId: registered.deviceId,
        reason: 'again',
        mode: 'rotate',
      }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'RESET_ALREADY_OPEN', details: [{ message: id }] } },
    });
    // In order only; the backup is taken by downloading it.
    expect(await step(id, 'suspend')).toMatchObject({
      status: 409,
      body: {
        error: { code: 'RESET_STEP_OUT_OF_ORDER', details: [{ code: 'EXPECTED_STEP', message: 'backup' }] },
      },
    });
    expect((await step(id, 'backup')).body.error.code).toBe('RESET_BACKUP_BY_DOWNLOAD');
    expect((await step(id, 'bogus')).status).toBe(400);

    const backup = await download(id);
    expect(backup.status).toBe(200);
    expect(backup.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(backup.headers.get('cache-control')).toBe('no-store');
    expect([...backup.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = backup.bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '"invoiceKey","period","type","code","number","issuedAt","colour","status","buyerTaxNo","buyerName","amount","taxAmount",' +
        '"totalAmount","redReversedAmount","originalKey","source","deviceId","receivedAt"',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''))).toEqual([...keys].sort());
    expect(lines[1]).toContain('"深圳市""前海""科技有限公司","100.00","13.00","113.00"');
    const sha256 = createHash('sha256').update(backup.bytes).digest('hex');
    const afterBackup = await api('GET', `/v1/device-resets/${id}`, admin);
    expect(afterBackup.body).toMatchObject({
      state: 'suspend',
      nextStep: 'suspend',
      backup: { sha256, rows: 2, periods: [previous, open] },
      steps: [
        {
          step: 'backup',
          outcome: 'succeeded',
          detail: { sha256, rows: 2 },
          actor: { kind: 'person', subject: 'admin-1', name: '李静' },
        },
      ],
    });
    // Taken once: a later download is the same file, byte for byte, whatever the ledger has become since.
    await ledger(registered.deviceId, open, new Date(clock.now().getTime() - 1_000));
    const again = await download(id);
    expect(again.bytes.equals(backup.bytes)).toBe(true);
    expect(again.headers.get('repr-digest')).toBe(
      `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`,
    );

    // suspend: the gateway suspends the device under the person's name; the device is refused.
    const client = device(registered.deviceId, registered.secret);
    expect([200, 202]).toContain((await clearCard(client)).status);
    const suspended = await step(id, 'suspend', admin, { note: '先停用' });
    expect(suspended).toMatchObject({ status: 200, body: { reset: { state: 'rekey' } } });
    expect((await gwAdmin().getDevice(registered.deviceId)).body).toMatchObject({
      status: 'suspended',
      updatedBy: { kind: 'person', subject: 'admin-1' },
    });
    expect(await clearCard(client)).toMatchObject({
      status: 401,
      body: { error: { code: 'DEVICE_SUSPENDED' } },
    });

    // rekey: the new secret once, never stored nor kept by reconcile.
    const rekeyed = await fetch(`${url}/v1/device-resets/${id}/steps/rekey`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rekeyed.status).toBe(200);
    expect(rekeyed.headers.get('cache-control')).toBe('no-store');
    const rekey = (await rekeyed.json()) as {
      reset: { state: string };
      secret: { deviceId: string; secret: string };
    };
    expect(rekey.reset.state).toBe('resync');
    expect(rekey.secret.deviceId).toBe(registered.deviceId);
    expect(rekey.secret.secret).not.toBe(registered.secret);
    for (const table of ['device_resets', 'device_reset_steps', 'audit_log']) {
      const [{ n }] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`,
        [rekey.secret.secret],
      );
      expect(n).toBe(0);
    }

    expect((await step(id, 'verify')).body.error.code).toBe('RESET_STEP_OUT_OF_ORDER');
    const resyncAt = clock.now();
    const resynced = await step(id, 'resync');
    expect(resynced.body.reset).toMatchObject({ state: 'verify', resyncFrom: resyncAt.toISOString() });
    const renewed = device(registered.deviceId, rekey.secret.secret);
    expect((await clearCard(device(registered.deviceId, registered.secret))).status).toBe(401);
    expect([200, 202]).toContain((await clearCard(renewed)).status);

    // verify, with nothing since the resync: fails, says what is missing, stays at verify.
    clock.advance(60_000);
    const nothing = await step(id, 'verify');
    expect(nothing).toMatchObject({
      status: 409,
      body: { error: { code: 'RESET_STEP_FAILED', details: [{ code: 'RESET_NOT_VERIFIED' }] } },
    });
    expect(nothing.body.error.message).toContain('no 抄报 report');
    expect(nothing.body.error.message).toContain('no 清卡 result');
    expect(nothing.body.error.message).toContain('no new invoice');

    // The device re-sent and did its 抄报 and 清卡; one new invoice, not yet visible at the authority.
    const since = new Date(resyncAt.getTime() + 1_000);
    await query(
      `INSERT INTO device_reports (device_id, period, invoice_type, tax_no, branch_id, invoice_count, amount, tax_amount, event_id, reported_at)
       VALUES ($1, $2, 'VAT_SPECIAL', $3, 'sz-nanshan', 3, 300.00, 39.00, $4, $5)`,
      [registered.deviceId, previous, TAX_NO, randomUUID(), since],
    );
    await query(
      `INSERT INTO device_report_periods (device_id, period, tax_no, branch_id, reported_at, event_id)
       VALUES ($1, $2, $3, 'sz-nanshan', $4, $5)`,
      [registered.deviceId, previous, TAX_NO, since, randomUUID()],
    );
    await query(
      `INSERT INTO device_clear_cards (device_id, period, tax_no, branch_id, status, succeeded_at, at, event_id)
       VALUES ($1, $2, $3, 'sz-nanshan', 'succeeded', $4, $4, $5)`,
      [registered.deviceId, previous, TAX_NO, since, randomUUID()],
    );
    const fresh = await ledger(registered.deviceId, open, since);
    authority.answer(fresh, { outcome: 'pending', detail: '查验 02 not yet visible' });
    // …and one invoice of the backup is gone from the ledger, another came again with other content.
    await query('UPDATE ledger_invoices SET invoice_key = invoice_key || $2 WHERE invoice_key = $1', [
      keys[0],
      'x',
    ]);
    await query(
      `INSERT INTO ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at)
       VALUES ($1, 'h2', 100.00, 13.00, 114.00, $2, $3)`,
      [keys[1], randomUUID(), since],
    );
    const notYet = await step(id, 'verify');
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.message).toContain('the authority does not show the device');
    expect(notYet.body.error.message).toContain(`no longer in the ledger (${keys[0]})`);
    expect(notYet.body.error.message).toContain(`arrived again with different content (${keys[1]})`);
    expect(notYet.body.error.message).not.toContain('抄报');
    expect(authority.asked).toContain(fresh);

    await query('UPDATE ledger_invoices SET invoice_key = $1 WHERE invoice_key = $1 || $2', [keys[0], 'x']);
    await query(`DELETE FROM ledger_invoice_versions WHERE invoice_key = $1 AND content_hash = 'h2'`, [
      keys[1],
    ]);
    authority.answer(fresh, { outcome: 'visible', status: null, detail: 'upload visible' });
    const verified = await step(id, 'verify');
    expect(verified).toMatchObject({
      status: 200,
      body: { reset: { state: 'verified', nextStep: 'closed' } },
    });
    const checks = (
      verified.body.reset.steps as {
        step: string;
        outcome: string;
        detail: { checks?: { check: string; ok: boolean }[] };
      }[]
    ).at(-1);
    expect(checks?.detail.checks?.map((c) => [c.check, c.ok])).toEqual([
      ['report', true],
      ['clear-card', true],
      ['invoice', true],
      ['authority', true],
      ['backup', true],
    ]);
    const closed = await step(id, 'closed', admin, { note: '已恢复开票' });
    expect(closed.body.reset).toMatchObject({ state: 'closed', nextStep: null, endedAt: expect.any(String) });
    expect((await step(id, 'closed')).body.error.code).toBe('RESET_ENDED');

    const reset = await api('GET', `/v1/device-resets/${id}`, auditor);
    expect(reset.status).toBe(200);
    expect(
      reset.body.steps.map((s: { step: string; outcome: string; actor: { subject: string } }) => [
        s.step,
        s.outcome,
        s.actor.subject,
      ]),
    ).toEqual([
      ['backup', 'succeeded', 'admin-1'],
      ['suspend', 'succeeded', 'admin-1'],
      ['rekey', 'succeeded', 'admin-1'],
      ['resync', 'succeeded', 'admin-1'],
      ['verify', 'failed', 'admin-1'],
      ['verify', 'failed', 'admin-1'],
      ['verify', 'succeeded', 'admin-1'],
      ['closed', 'succeeded', 'admin-1'],
    ]);
    expect(reset.body.steps[1].detail).toMatchObject({ note: '先停用', status: 'suspended' });
    const audit = await api('GET', `/v1/audit?targetType=device-reset&targetId=${id}`, auditor);
    expect(audit.body.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      'device-reset.create',
      'device-reset.backup',
      'device-reset.suspend',
      'device-reset.rekey',
      'device-reset.resync',
      'device-reset.verify',
      'device-reset.verify',
      'device-reset.verify',
      'device-reset.closed',
    ]);
    expect(audit.body.items[0]).toMatchObject({
      actor: { kind: 'person', subject: 'admin-1', name: '李静' },
      branchId: 'sz-nanshan',
      taxNo: TAX_NO,
    });
    // A new reset of the device may start once this one is closed.
    await start(registered.deviceId, 'rotate');
  });

  it('records a step the gateway refuses (its own judgement of the person) as failed, and stays on that step', async () => {
    const registered = await register();
    const id = await start(registered.deviceId, 'rotate', opsOnly);
    expect((await download(id, opsOnly)).status).toBe(200);
    const refused = await step(id, 'suspend', opsOnly);
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'RESET_STEP_FAILED', details: [{ code: 'FORBIDDEN', field: 'suspend' }] } },
    });
    expect(refused.body.error.message).toContain('the device gateway refused (403 FORBIDDEN)');
    expect((await gwAdmin().getDevice(registered.deviceId)).body).toMatchObject({ status: 'active' });
    const reset = await api('GET', `/v1/device-resets/${id}`, admin);
    expect(reset.body).toMatchObject({ state: 'suspend' });
    expect(reset.body.steps.at(-1)).toMatchObject({
      step: 'suspend',
      outcome: 'failed',
      detail: { gateway: { status: 403, code: 'FORBIDDEN' } },
      actor: { subject: 'ops-1', name: '王强' },
    });
    const [entry] = (await api('GET', `/v1/audit?targetId=${id}&action=device-reset.suspend`, auditor)).body
      .items;
    expect(entry).toMatchObject({ actor: { subject: 'ops-1' }, detail: { outcome: 'failed' } });
    // The same step by someone the gateway lets through.
    expect((await step(id, 'suspend', admin)).body.reset.state).toBe('rekey');
  });

  it('replaces a device safely after a lost answer: the earlier registration is found, not repeated', async () => {
    const registered = await register('sz-futian', 'Futian till 3');
    const id = await start(registered.deviceId, 'replace');
    expect((await download(id)).status).toBe(200);
    expect((await step(id, 'suspend')).status).toBe(200);
    // An earlier rekey registered the replacement, and its answer was lost on the way back.
    await query('UPDATE device_resets SET replacement_requested_at = $2 WHERE id = $1', [id, clock.now()]);
    const earlier = await register('sz-futian', 'Futian till 3 (replacement)');
    const rekey = await step(id, 'rekey');
    expect(rekey.status).toBe(200);
    expect(rekey.body.secret.deviceId).toBe(earlier.deviceId);
    expect(rekey.body.reset).toMatchObject({ state: 'resync', replacementDeviceId: earlier.deviceId });
    expect(rekey.body.reset.steps.at(-1).detail).toMatchObject({
      mode: 'replace',
      replacement: 'found',
      retired: registered.deviceId,
    });
    const named = (await gwAdmin().listDevices({ taxNo: TAX_NO, branchId: 'sz-futian' })).body.items.filter(
      (d) => d.name === 'Futian till 3 (replacement)',
    );
    expect(named.map((d) => d.deviceId)).toEqual([earlier.deviceId]);
    expect((await gwAdmin().getDevice(registered.deviceId)).body).toMatchObject({
      status: 'retired',
      replacedBy: earlier.deviceId,
    });
    // The secret handed out is the replacement's, freshly rotated: the one of the lost answer no longer works.
    expect((await clearCard(device(earlier.deviceId, earlier.secret))).status).toBe(401);
    expect([200, 202]).toContain(
      (await clearCard(device(earlier.deviceId, rekey.body.secret.secret))).status,
    );
    expect((await step(id, 'resync')).body.reset).toMatchObject({
      state: 'verify',
      resyncFrom: expect.any(String),
    });
    // Listed by the old device and by the replacement.
    expect(
      (await api('GET', `/v1/device-resets?deviceId=${earlier.deviceId}`, admin)).body.items.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([id]);
  });

  it('registers a replacement once when nothing was registered before', async () => {
    const registered = await register('sz-futian', 'Futian till 9');
    const id = await start(registered.deviceId, 'replace');
    await download(id);
    await step(id, 'suspend');
    const rekey = await step(id, 'rekey');
    expect(rekey.status).toBe(200);
    expect(rekey.body.reset.steps.at(-1).detail).toMatchObject({
      replacement: 'registered',
      replacementName: 'Futian till 9 (replacement)',
    });
    expect((await gwAdmin().getDevice(rekey.body.secret.deviceId)).body).toMatchObject({
      taxNo: TAX_NO,
      branchId: 'sz-futian',
      name: 'Futian till 9 (replacement)',
      status: 'active',
    });
  });

  it("keeps another branch's reset as unknown as a missing one, and refuses changes to readers", async () => {
    const sz = await register('sz-nanshan', 'scope till');
    const bj = await register('bj-chaoyang', 'Beijing till');
    const bjReset = await start(bj.deviceId, 'rotate');
    const szReset = await start(sz.deviceId, 'rotate');
    const hidden = await api('GET', `/v1/device-resets/${bjReset}`, clerkSz);
    const unknown = await api('GET', `/v1/device-resets/${randomUUID()}`, clerkSz);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('RESET_NOT_FOUND');
    expect(unknown.body.error.code).toBe('RESET_NOT_FOUND');
    expect((await download(bjReset, clerkSz)).status).toBe(403); // a clerk may not manage devices at all
    const listed = await api('GET', '/v1/device-resets?limit=200', clerkSz);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(szReset);
    expect(
      listed.body.items.map((r: { branchId: string }) => r.branchId).every((b: string) => b === 'sz-nanshan'),
    ).toBe(true);
    // Readers read, never change; a clerk cannot start one, whatever the branch.
    expect(
      (
        await api('POST', '/v1/device-resets', auditor, {
          deviceId: sz.deviceId,
          reason: 'x',
          mode: 'rotate',
        })
      ).status,
    ).toBe(403);
    expect((await step(szReset, 'suspend', auditor)).status).toBe(403);
    expect((await api('POST', `/v1/device-resets/${szReset}/cancel`, auditor, { reason: 'x' })).status).toBe(
      403,
    );
    // Bad input gets a clear code; an unknown device is refused by the gateway as unknown.
    expect(
      (await api('POST', '/v1/device-resets', admin, { deviceId: sz.deviceId, reason: '', mode: 'wipe' }))
        .body.error,
    ).toMatchObject({
      code: 'INVALID_REQUEST',
      details: [{ field: 'body.reason' }, { field: 'body.mode' }],
    });
    expect(
      (
        await api('POST', '/v1/device-resets', admin, {
          deviceId: 'dev_nothing',
          reason: 'x',
          mode: 'rotate',
        })
      ).body.error.code,
    ).toBe('DEVICE_NOT_FOUND');
  });

  it('cancels an open reset with a reason (recorded and audited); a cancelled one cannot go on, a new one can start', async () => {
    const registered = await register('sz-nanshan', 'cancel till');
    const id = await start(registered.deviceId, 'rotate');
    expect((await api('POST', `/v1/device-resets/${id}/cancel`, admin, {})).status).toBe(400);
    const cancelled = await api('POST', `/v1/device-resets/${id}/cancel`, admin, {
      reason: '设备已修复，无需重置',
    });
    expect(cancelled.body).toMatchObject({ state: 'cancelled', nextStep: null, endedAt: expect.any(String) });
    expect(cancelled.body.steps).toEqual([
      expect.objectContaining({
        step: 'cancelled',
        outcome: 'succeeded',
        detail: { reason: '设备已修复，无需重置', cancelledAt: 'backup' },
      }),
    ]);
    expect(
      (await api('POST', `/v1/device-resets/${id}/cancel`, admin, { reason: 'again' })).body.error.code,
    ).toBe('RESET_ENDED');
    expect((await step(id, 'suspend')).body.error.code).toBe('RESET_ENDED');
    expect((await download(id)).status).toBe(409);
    const [entry] = (await api('GET', `/v1/audit?targetId=${id}&action=device-reset.cancel`, auditor)).body
      .items;
    expect(entry).toMatchObject({ reason: '设备已修复，无需重置', actor: { subject: 'admin-1' } });
    const next = await start(registered.deviceId, 'rotate');
    expect(
      (
        await api('GET', `/v1/device-resets?deviceId=${registered.deviceId}&state=cancelled`, admin)
      ).body.items.map((r: { id: string }) => r.id),
    ).toEqual([id]);
    expect(next).not.toBe(id);
  });

  it('lets only one of two simultaneous starts of a reset through', async () => {
    const registered = await register('sz-nanshan', 'race till');
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        api('POST', '/v1/device-resets', admin, {
          deviceId: registered.deviceId,
          reason: 'race',
          mode: 'rotate',
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });
});
