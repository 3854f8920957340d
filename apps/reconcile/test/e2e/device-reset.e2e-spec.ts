// A whole guided reset (清盘 / 重置) on the real system: the sandbox and the four services in their own processes on
// Kafka and PostgreSQL. A person (an admin, token from a test IdP that reconcile and the gateway trust) resets a device
// that has issued invoices: backup, suspend (the device is refused), rotate its secret, resync (the device re-sends
// everything with its new secret: duplicates, nothing doubles), a report, a clear-card and a new invoice the authority
// comes to show, verify, close.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeviceClient, GatewayAdminClient } from '@lib/device-client';
import { invoiceKey, periodOf, previousPeriod } from '@lib/domain';
import {
  dropSchema,
  pollUntil,
  REPO_ROOT,
  requestJson,
  startTestIssuer,
  testDatabaseUrl,
  testKafkaBrokers,
  TestIssuer,
  uniqueName,
} from '@lib/testing';
import { buildEnterprise } from '../../../../test/system/enterprise';
import {
  invoiceKey as authorityKey,
  InvoiceFactory,
  ScenarioItem,
} from '../../../../test/system/invoice-factory';
import { scenarioEnv } from '../../../../test/system/scenario-env';
import { SERVICES, SystemHarness } from '../../../../test/system/system-harness';

jest.setTimeout(300_000);

describe('a guided device reset on the whole system', () => {
  const scope = uniqueName('reset');
  let system: SystemHarness;
  let issuer: TestIssuer;
  let db: Client;
  let admin: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    admin = await issuer.token(
      { sub: 'admin-e2e', name: '陈敏', roles: ['admin'] },
      { expiresInSeconds: 3_600 },
    );
    const tuning = scenarioEnv({ reconcileLagMs: 2_000 });
    system = await SystemHarness.start({
      runtime: 'ts',
      databaseUrl: testDatabaseUrl(),
      kafkaBrokers: testKafkaBrokers().join(','),
      scope,
      logDir: join(REPO_ROOT, '.cache', 'test-logs', scope),
      logLevel: 'warn',
      env: {
        ...tuning,
        reconcile: { ...tuning.reconcile, ...issuer.env, RECONCILE_CHECK_MIN_INTERVAL_MS: '0' },
        'device-gateway': { ...issuer.env, GATEWAY_DEVICE_CACHE_TTL_MS: '0' },
      },
    });
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
  });

  afterAll(async () => {
    await system?.stop();
    if (system) for (const service of SERVICES) await dropSchema(system.schemaOf(service));
    await db?.end();
    await issuer?.close();
  });

  const reconcile = (method: string, path: string, body?: unknown) =>
    requestJson(system.urls.reconcile, method, path, body, admin);
  const ledgerOf = async (deviceId: string) =>
    (
      await db.query<{ invoice_key: string }>(
        `SELECT invoice_key FROM ${system.schemaOf('reconcile')}.ledger_invoices WHERE device_id = $1 ORDER BY invoice_key`,
        [deviceId],
      )
    ).rows.map((r) => r.invoice_key);
  const projected = async (table: 'device_reports' | 'device_clear_cards', deviceId: string) =>
    (
      await db.query(`SELECT 1 FROM ${system.schemaOf('reconcile')}.${table} WHERE device_id = $1`, [
        deviceId,
      ])
    ).rowCount ?? 0;

  it('backs up, suspends, rotates, resyncs without doubling anything, verifies and closes, every step under the person', async () => {
    const gateway = new GatewayAdminClient(system.urls['device-gateway'], admin);
    const [spec] = buildEnterprise({ taxpayers: 1, branches: 1, devicesPerBranch: 1 }).devices;
    const registered = await gateway.mustRegister({
      taxNo: spec.branch.taxpayer.taxNo,
      branchId: spec.branch.branchId,
      name: spec.name,
    });
    const invoices = new InvoiceFactory(spec);
    const signedAs = (secret: string) =>
      new DeviceClient({ baseUrl: system.urls['device-gateway'], deviceId: registered.deviceId, secret });
    const now = () => system.clock.now();
    const issued: ScenarioItem[] = [0, 1, 2].map((v) => invoices.blue('E_VAT_SPECIAL', now(), v));
    const first = await signedAs(registered.secret).postInvoices(issued);
    expect(first.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const keys = issued.map((i) => invoiceKey(i.invoice)).sort();
    await pollUntil(
      () => ledgerOf(registered.deviceId),
      (k) => k.length === 3,
      { timeoutMs: 60_000, what: 'the ledger projection' },
    );

    // Start, and take the backup.
    const created = await reconcile('POST', '/v1/device-resets', {
      deviceId: registered.deviceId,
      reason: '金税盘损坏，清盘后重新发行',
      mode: 'rotate',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const download = await fetch(`${system.urls.reconcile}/v1/device-resets/${id}/backup.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean).slice(1);
    expect(rows.map((r) => r.split(',')[0].replace(/"/g, ''))).toEqual(keys);
    for (const item of issued) {
      const row = rows.find((r) => r.startsWith(`"${invoiceKey(item.invoice)}"`)) as string;
      expect(row).toContain(
        `"${item.invoice.buyerName}","${item.invoice.amount}","${item.invoice.taxAmount}","${item.invoice.totalAmount}"`,
      );
    }
    const backedUp = await reconcile('GET', `/v1/device-resets/${id}`);
    expect(backedUp.body).toMatchObject({
      state: 'suspend',
      backup: { rows: 3, sha256: createHash('sha256').update(bytes).digest('hex') },
    });

    // Suspend: the device is refused.
    expect(
      (await reconcile('POST', `/v1/device-resets/${id}/steps/suspend`, { note: '停用待重置' })).status,
    ).toBe(200);
    const refused = await signedAs(registered.secret).postInvoices([
      invoices.blue('E_VAT_SPECIAL', now(), 3),
    ]);
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'DEVICE_SUSPENDED' } } });

    // Rotate: a new secret, once.
    const rekey = await reconcile('POST', `/v1/device-resets/${id}/steps/rekey`);
    expect(rekey.status).toBe(200);
    const secret = rekey.body.secret.secret as string;
    expect(secret).not.toBe(registered.secret);

    // Resync: the device re-sends everything with its new secret; the gateway answers duplicates.
    const resync = await reconcile('POST', `/v1/device-resets/${id}/steps/resync`);
    expect(resync.body.reset).toMatchObject({ state: 'verify', resyncFrom: expect.any(String) });
    const device = signedAs(secret);
    expect((await signedAs(registered.secret).postInvoices(issued)).status).toBe(401);
    const resent = await device.postInvoices(issued);
    expect(resent.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    // The device works again: its 抄报, its 清卡 and a new invoice.
    const previous = previousPeriod(periodOf(now()));
    const fresh = invoices.blue('E_VAT_SPECIAL', now(), 4);
    expect((await device.postInvoices([fresh])).body.results[0].status).toBe('accepted');
    expect([200, 202]).toContain(
      (
        await device.postReport({
          eventId: randomUUID(),
          period: previous,
          totals: [{ type: 'E_VAT_SPECIAL', count: 3, amount: '0.00', taxAmount: '0.00' }],
        })
      ).status,
    );
    expect([200, 202]).toContain(
      (
        await device.postClearCard({
          eventId: randomUUID(),
          period: previous,
          status: 'succeeded',
          at: now().toISOString(),
          errorCode: null,
          errorMessage: null,
        })
      ).status,
    );
    const freshKey = invoiceKey(fresh.invoice);
    await pollUntil(
      async () => ({
        ledger: await ledgerOf(registered.deviceId),
        reports: await projected('device_reports', registered.deviceId),
        clearCards: await projected('device_clear_cards', registered.deviceId),
      }),
      (p) => p.ledger.includes(freshKey) && p.reports > 0 && p.clearCards > 0,
      { timeoutMs: 60_000, what: 'reconcile to project the new invoice, report and clear-card' },
    );
    // The authority shows an upload only after its lag (the sandbox keys its records by code + number).
    await pollUntil(
      () => system.sandbox.authorityInvoice(authorityKey(fresh.invoice)),
      (record) => (record as { visible?: boolean }).visible === true,
      { timeoutMs: 60_000, intervalMs: 500, what: 'the new invoice visible at the authority' },
    );

    const verified = await reconcile('POST', `/v1/device-resets/${id}/steps/verify`);
    expect(verified.status).toBe(200);
    expect(
      (verified.body.reset.steps.at(-1).detail.checks as { check: string; ok: boolean }[]).map((c) => [
        c.check,
        c.ok,
      ]),
    ).toEqual([
      ['report', true],
      ['clear-card', true],
      ['invoice', true],
      ['authority', true],
      ['backup', true],
    ]);
    const closed = await reconcile('POST', `/v1/device-resets/${id}/steps/closed`, {
      note: '开票、抄报、清卡均已恢复',
    });
    expect(closed.body.reset).toMatchObject({ state: 'closed', nextStep: null });

    // Nothing doubled: the ledger holds the three invoices once each, and the new one; the authority got no duplicate.
    expect(await ledgerOf(registered.deviceId)).toEqual([...keys, freshKey].sort());
    expect((await system.sandbox.state()).authority.duplicates).toBe(0);
    // Every step recorded, with the person.
    const reset = await reconcile('GET', `/v1/device-resets/${id}`);
    expect(
      (
        reset.body.steps as {
          step: string;
          outcome: string;
          actor: { kind: string; subject: string; name: string };
        }[]
      ).map((s) => [s.step, s.outcome, s.actor.kind, s.actor.subject, s.actor.name]),
    ).toEqual(
      ['backup', 'suspend', 'rekey', 'resync', 'verify', 'closed'].map((step) => [
        step,
        'succeeded',
        'person',
        'admin-e2e',
        '陈敏',
      ]),
    );
    // The gateway recorded its changes under the same person.
    const changes = await requestJson(
      system.urls['device-gateway'],
      'GET',
      `/v1/admin/devices/${registered.deviceId}/changes`,
      undefined,
      admin,
    );
    expect(
      changes.body.items.map((c: { change: string; actor: { subject: string } }) => [
        c.change,
        c.actor.subject,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['suspended', 'admin-e2e'],
        ['secret-rotated', 'admin-e2e'],
        ['enabled', 'admin-e2e'],
      ]),
    );
  });
});
