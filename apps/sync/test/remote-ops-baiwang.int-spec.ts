import { SystemClock } from '@lib/common';
import { startSandbox, type RunningSandbox } from '@lib/simulators';
import { pollUntil } from '@lib/testing';
import { RemoteOpsScheduler } from '../src/remote-ops/remote-ops.scheduler';
import { createTargetAdapters } from '../src/targets/target-adapters.factory';
import { TargetAdapters } from '../src/targets/target-adapters';
import { newSeller, syncEnvFor } from './e2e/support/sandbox-env';
import { blueInvoice } from './support/invoices';
import { hostedDevice, MutableClock } from './support/remote-ops.fixture';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(180_000);

/** Inside 2025-09's filing window (2025-10-01 … its deadline moved for National Day), for sync and the sandbox alike. */
const NOW = '2025-10-09T10:00:00+08:00';

interface DeviceEvent {
  type: string;
  data: {
    deviceId: string;
    period: string;
    status?: string;
    totals?: { type: string; count: number; amount: string; taxAmount: string }[];
    errorCode?: string | null;
    errorMessage?: string | null;
    remote?: { target: string; requestId: string; failureClass: string | null } | null;
  };
}

/** The scheduler with sync's production Baiwang adapter (its deviceOperations) against the sandbox's Baiwang. */
describe('remote 抄报 / 清卡 against the sandbox Baiwang (real PostgreSQL + Kafka)', () => {
  const h = new SyncHarness();
  const clock = new MutableClock(NOW);
  let sandbox: RunningSandbox;
  let scheduler: RemoteOpsScheduler;
  const seller = newSeller();
  const machineNo = `66${String(Date.now()).slice(-10)}`;
  const blockedNo = `67${String(Date.now()).slice(-10)}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ logLevel: 'silent', seed: 'sync-remote-ops', startTime: NOW, authority: { visibilityLagMs: 0 } });
    sandbox.control.hostBaiwangDevice({ taxNo: seller, machineNo });
    sandbox.control.hostBaiwangDevice({ taxNo: seller, machineNo: blockedNo, offlinePending: 3 });
    // The adapters sign their calls with the wall clock, as in production; the scheduler reads the injected one.
    await h.start((tokens) => createTargetAdapters(h.config, tokens, new SystemClock()), {
      ...syncEnvFor(sandbox, { SYNC_DEFAULT_PLATFORMS: 'baiwang' }),
      SYNC_WORKERS_ENABLED: 'false',
      SYNC_REMOTE_OPS_INTERVAL_MS: '0',
    }, { clock });
    scheduler = h.app.get(RemoteOpsScheduler);
  });
  afterAll(async () => {
    await h.stop();
    await sandbox?.close();
  });

  const published = (deviceId: string): DeviceEvent[] =>
    h.deviceEvents.messages
      .map((m) => JSON.parse(m.value ?? '{}') as DeviceEvent)
      .filter((e) => e.type !== 'device.changed' && e.data.deviceId === deviceId);

  it('reports with the totals Baiwang answers, clears, and records offline invoices with Baiwang’s words', async () => {
    // one September invoice of the device, uploaded to Baiwang with its 机器编号 (what Baiwang totals)
    const baiwang = h.app.get(TargetAdapters).get('baiwang')!;
    expect(baiwang.deviceOperations?.platform).toBe('baiwang');
    const invoice = blueInvoice({ sellerTaxNo: seller, issuedAt: '2025-09-12T10:00:00+08:00' });
    const upload = await baiwang.upload({ invoiceKey: invoice.number, kind: 'issued', invoice, serialNo: `RT${invoice.number}`, deviceNo: machineNo });
    expect(upload.status).toBe('accepted');

    const ok = `bw-ok-${Date.now()}`;
    const blocked = `bw-blocked-${Date.now()}`;
    await h.sendDeviceChanged(hostedDevice({ deviceId: ok, taxNo: seller, deviceNo: machineNo }));
    await h.sendDeviceChanged(hostedDevice({ deviceId: blocked, taxNo: seller, deviceNo: blockedNo }));
    await pollUntil(
      () => h.query<{ n: number }>('SELECT count(*)::int AS n FROM hosted_devices WHERE device_id = ANY($1)', [[ok, blocked]]),
      (r) => r[0].n === 2,
    );

    expect(await scheduler.tick()).toMatchObject({ period: '2025-09', planned: 2, ran: 2 });
    const jobs = await h.query<{ device_id: string; state: string; last_error_code: string | null }>(
      'SELECT device_id, state, last_error_code FROM remote_op_jobs WHERE device_id = ANY($1) ORDER BY device_id',
      [[ok, blocked]],
    );
    expect(jobs).toEqual([
      { device_id: blocked, state: 'failed', last_error_code: 'REMOTE_OFFLINE_INVOICES_PENDING' },
      { device_id: ok, state: 'cleared', last_error_code: null },
    ]);
    const atBaiwang = sandbox.control.baiwangDevices().find((d) => d.machineNo === machineNo)!;
    expect(atBaiwang.reports.map((r) => r.period)).toEqual(['2025-09']);
    expect(atBaiwang.clears.map((c) => c.period)).toEqual(['2025-09']);

    const events = await pollUntil(() => published(ok), (e) => e.length === 2, { what: 'report and clear-card' });
    const report = events.find((e) => e.type === 'device.report')!;
    expect(report.data.totals).toEqual([{ type: invoice.type, count: 1, amount: invoice.amount, taxAmount: invoice.taxAmount }]);
    expect(report.data.remote).toMatchObject({ target: 'baiwang', requestId: expect.stringMatching(/^RO/), failureClass: null });
    expect(events.find((e) => e.type === 'device.clear-card')!.data).toMatchObject({ status: 'succeeded', period: '2025-09' });

    const [failed] = await pollUntil(() => published(blocked).filter((e) => e.type === 'device.clear-card'), (e) => e.length === 1);
    expect(failed.data).toMatchObject({
      status: 'failed',
      errorCode: 'REMOTE_OFFLINE_INVOICES_PENDING',
      remote: { target: 'baiwang', failureClass: 'offline-invoices' },
    });
    expect(failed.data.errorMessage).toMatch(/\S/);

    // nothing runs twice: another tick leaves Baiwang's history as it is
    clock.advance(60 * 60_000);
    await scheduler.tick();
    const after = sandbox.control.baiwangDevices().find((d) => d.machineNo === machineNo)!;
    expect(after.reports).toHaveLength(1);
    expect(after.clears).toHaveLength(1);
  });
});
