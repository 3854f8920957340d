import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { buildEnvelope, EventDataInput } from '@lib/contracts';
import { pollUntil, scrapeMetric, startTestIssuer, TestIssuer } from '@lib/testing';
import { RemoteOpJobsRepository } from '../src/remote-ops/remote-op-jobs.repository';
import { RemoteOpsEvents } from '../src/remote-ops/remote-ops.events';
import { RemoteOpsMetrics } from '../src/remote-ops/remote-ops.metrics';
import { RemoteOpsRunner } from '../src/remote-ops/remote-ops.runner';
import { RemoteOpsScheduler } from '../src/remote-ops/remote-ops.scheduler';
import { SYNC_CONFIG } from '../src/sync.tokens';
import { TargetAdapters } from '../src/targets/target-adapters';
import { FakeTargetAdapter } from './support/fake-target.adapter';
import {
  failure,
  FakeDeviceOperations,
  FakeHostingAdapter,
  hostedDevice,
  MutableClock,
  REPORT_TOTALS,
} from './support/remote-ops.fixture';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(180_000);

/** Inside the filing window of 2026-02 (it opens 2026-03-01 00:00 +08:00 and closes after the March deadline). */
const T0 = '2026-03-05T10:00:00+08:00';
const AFTER_DEADLINE = '2026-03-25T10:00:00+08:00';
const MIN = 60_000;
const HOUR = 60 * MIN;

interface DeviceEvent {
  id: string;
  type: string;
  data: {
    deviceId: string;
    deviceNo: string | null;
    deviceName: string | null;
    branchId: string;
    taxNo: string;
    period: string;
    status?: string;
    errorCode?: string | null;
    errorMessage?: string | null;
    totals?: unknown[];
    remote?: { target: string; requestId: string; failureClass: string | null } | null;
  };
}

interface JobRow {
  state: string;
  attempts: number;
  failures_in_row: number;
  needs_status: boolean;
  last_error_code: string | null;
  next_attempt_at: Date;
  leased_until: Date | null;
}

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const taxNo = () => `91440300${String(Date.now()).slice(-7)}${String(seq++).padStart(3, '0')}`;

describe('remote 抄报 / 清卡 (real PostgreSQL + Kafka, a fake platform port, an injected clock)', () => {
  const h = new SyncHarness();
  const clock = new MutableClock(T0);
  const ops = new FakeDeviceOperations('baiwang');
  let issuer: TestIssuer;
  let scheduler: RemoteOpsScheduler;
  let admin: string;
  let clerk: string;
  let auditor: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start(
      () => [new FakeTargetAdapter('authority'), new FakeHostingAdapter('baiwang', ops), new FakeTargetAdapter('nuonuo')],
      { ...issuer.env, SYNC_REMOTE_OPS_INTERVAL_MS: '0' },
      { clock },
    );
    scheduler = h.app.get(RemoteOpsScheduler);
    admin = await issuer.token({ sub: 'admin-7', name: '李静', roles: ['admin'] });
    clerk = await issuer.token({ sub: 'clerk-1', name: '王芳', roles: ['branch-clerk'], branches: ['sz'] });
    auditor = await issuer.token({ sub: 'auditor-1', name: '审计', roles: ['auditor'] });
  });
  afterAll(async () => {
    await h.stop();
    await issuer?.close();
  });

  /** Announces devices as the gateway does and waits until sync holds them. */
  async function announce(...devices: EventDataInput<'device.changed'>[]): Promise<void> {
    for (const d of devices) await h.sendDeviceChanged(d);
    await pollUntil(
      () =>
        h.query<{ n: number }>('SELECT count(*)::int AS n FROM hosted_devices WHERE device_id = ANY($1)', [
          devices.map((d) => d.deviceId),
        ]),
      (rows) => rows[0].n === devices.length,
      { what: 'devices projected' },
    );
  }

  const published = (deviceId: string): DeviceEvent[] =>
    h.deviceEvents.messages
      .map((m) => JSON.parse(m.value ?? '{}') as DeviceEvent)
      .filter((e) => e.type !== 'device.changed' && e.data.deviceId === deviceId);

  /** Every event sync recorded has left the outbox, and the collector has seen `n` of the device's. */
  async function eventsOf(deviceId: string, n: number): Promise<DeviceEvent[]> {
    await pollUntil(
      () => h.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'),
      (rows) => rows[0].n === 0,
      { what: 'outbox relayed' },
    );
    const events = await pollUntil(() => published(deviceId), (e) => e.length >= n, { what: `${n} events of ${deviceId}` });
    await new Promise((r) => setTimeout(r, 300));
    expect(published(deviceId)).toHaveLength(events.length);
    return events;
  }

  const job = async (deviceId: string): Promise<JobRow | undefined> =>
    (await h.query<JobRow>('SELECT * FROM remote_op_jobs WHERE device_id = $1', [deviceId]))[0];

  it('projects device.changed (newest by changedAt, idempotent on the envelope id) and ignores other device events', async () => {
    const deviceId = `proj-${uniq()}`;
    const tax = taxNo();
    const v2 = hostedDevice({ deviceId, taxNo: tax, changedAt: '2026-02-10T10:00:00+08:00' });
    const v2Id = await h.sendDeviceChanged(v2);
    await pollUntil(() => h.query<{ status: string }>('SELECT status FROM hosted_devices WHERE device_id = $1', [deviceId]), (r) => r.length === 1);
    // an older view, the same envelope id again (with a newer body: the inbox drops it), a device's own report
    await h.sendDeviceChanged({ ...v2, status: 'suspended', change: 'suspended', changedAt: '2026-02-10T09:00:00+08:00' });
    await h.sendDeviceChanged({ ...v2, status: 'retired', change: 'retired', changedAt: '2026-02-10T13:00:00+08:00' }, v2Id);
    await h.sendDeviceEvent(
      buildEnvelope(
        'device.report',
        {
          period: '2026-01',
          totals: [],
          deviceId,
          branchId: 'sz',
          taxNo: tax,
          receivedAt: new Date().toISOString(),
        },
        { source: 'device-gateway', occurredAt: new Date() },
      ),
    );
    const v3Id = await h.sendDeviceChanged({ ...v2, deviceNo: 'NEW-NO-1', change: 'device-no-set', changedAt: '2026-02-10T12:00:00+08:00' });
    const [row] = await pollUntil(
      () => h.query<{ status: string; device_no: string; hosted_on: string; event_id: string; branch_id: string; device_name: string }>(
        'SELECT * FROM hosted_devices WHERE device_id = $1',
        [deviceId],
      ),
      (r) => r[0]?.device_no === 'NEW-NO-1',
      { what: 'the newest view projected' },
    );
    expect(row).toMatchObject({ status: 'active', hosted_on: 'baiwang', event_id: v3Id, branch_id: 'sz', device_name: v2.deviceName });
    expect(h.dlq.messages).toHaveLength(0);
  });

  it('does nothing outside the filing window', async () => {
    const deviceId = `out-${uniq()}`;
    await announce(hostedDevice({ deviceId, taxNo: taxNo() }));
    clock.set(AFTER_DEADLINE);
    expect(await scheduler.tick()).toEqual({ period: null, planned: 0, ran: 0 });
    clock.set('2026-03-31T23:59:00+08:00');
    expect((await scheduler.tick()).period).toBeNull();
    expect(await job(deviceId)).toBeUndefined();
    expect(ops.callsOf(`NO-${deviceId}`)).toHaveLength(0);
  });

  it('inside the window reports then clears once, publishes one device.report and one device.clear-card, and never runs again', async () => {
    clock.set(T0);
    const deviceId = `ok-${uniq()}`;
    const tax = taxNo();
    await announce(hostedDevice({ deviceId, taxNo: tax }));
    const summary = await scheduler.tick();
    expect(summary.period).toBe('2026-02');
    expect(summary.planned).toBeGreaterThanOrEqual(1);
    const deviceNo = `NO-${deviceId}`;
    expect(ops.calls.filter((c) => c.ref.deviceNo === deviceNo).map((c) => c.step)).toEqual(['report', 'clear']);
    const [reportRef, clearRef] = ops.callsOf(deviceNo);
    expect(reportRef).toMatchObject({ taxNo: tax, period: '2026-02' });
    expect(await job(deviceId)).toMatchObject({ state: 'cleared', attempts: 1, leased_until: null });

    const events = await eventsOf(deviceId, 2);
    const report = events.find((e) => e.type === 'device.report')!;
    const clear = events.find((e) => e.type === 'device.clear-card')!;
    expect(report.data).toMatchObject({
      deviceId,
      deviceNo,
      deviceName: `前台开票机 ${deviceId}`,
      branchId: 'sz',
      taxNo: tax,
      period: '2026-02',
      totals: REPORT_TOTALS,
      remote: { target: 'baiwang', requestId: reportRef.requestId, failureClass: null },
    });
    expect(clear.data).toMatchObject({
      status: 'succeeded',
      period: '2026-02',
      errorCode: null,
      remote: { target: 'baiwang', requestId: clearRef.requestId, failureClass: null },
    });

    clock.advance(24 * HOUR);
    await scheduler.tick();
    clock.advance(7 * 24 * HOUR);
    await scheduler.tick();
    expect(ops.callsOf(deviceNo)).toHaveLength(2);
    expect(await eventsOf(deviceId, 2)).toHaveLength(2);
    expect(ops.duplicates).toBe(0);
    expect(await scrapeMetric(h.baseUrl, 'sync_remote_ops_operations_total', { target: 'baiwang', step: 'clear', outcome: 'succeeded' })).toBeGreaterThanOrEqual(1);
  });

  it('records offline invoices at once as one failed clear-card and waits for a person; the retry endpoint resumes it', async () => {
    clock.set(T0);
    const deviceId = `offl-${uniq()}`;
    const tax = taxNo();
    const deviceNo = `NO-${deviceId}`;
    ops.stateOf({ taxNo: tax, deviceNo, period: '2026-02' }).offlinePending = 2;
    await announce(hostedDevice({ deviceId, taxNo: tax }));
    await scheduler.tick();
    const failedJob = await job(deviceId);
    expect(failedJob).toMatchObject({ state: 'failed', last_error_code: 'REMOTE_OFFLINE_INVOICES_PENDING' });
    expect(failedJob!.next_attempt_at.getTime()).toBe(new Date(T0).getTime() + 6 * HOUR);
    const first = await eventsOf(deviceId, 2);
    expect(first.map((e) => `${e.type}:${e.data.status ?? ''}`).sort()).toEqual(['device.clear-card:failed', 'device.report:']);
    const failed = first.find((e) => e.type === 'device.clear-card')!;
    expect(failed.data).toMatchObject({
      status: 'failed',
      errorCode: 'REMOTE_OFFLINE_INVOICES_PENDING',
      errorMessage: '存在2张离线发票未上传',
      remote: { target: 'baiwang', failureClass: 'offline-invoices' },
    });

    // no retry by itself before the slow recheck; the recheck only asks (offline invoices still there)
    clock.advance(2 * HOUR);
    await scheduler.tick();
    expect(ops.callsOf(deviceNo).length).toBe(2);
    clock.advance(4 * HOUR);
    await scheduler.tick();
    expect(ops.calls.filter((c) => c.ref.deviceNo === deviceNo).map((c) => c.step)).toEqual(['report', 'clear', 'status']);
    expect(await job(deviceId)).toMatchObject({ state: 'failed' });

    const listed = await h.api('GET', `/v1/remote-ops?taxNo=${tax}`, undefined, auditor);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ deviceId, state: 'failed', lastErrorCode: 'REMOTE_OFFLINE_INVOICES_PENDING', lastErrorMessage: '存在2张离线发票未上传' }),
    ]);

    // a person uploads the offline invoices, then retries
    ops.stateOf({ taxNo: tax, deviceNo, period: '2026-02' }).offlinePending = 0;
    const retried = await h.api('POST', `/v1/remote-ops/devices/${deviceId}/retry`, { reason: '离线发票已上传' }, admin);
    expect(retried).toMatchObject({ status: 202, body: { deviceId, state: 'reported', period: '2026-02' } });
    await scheduler.tick();
    expect(ops.calls.filter((c) => c.ref.deviceNo === deviceNo).map((c) => c.step)).toEqual(['report', 'clear', 'status', 'status', 'clear']);
    expect(await job(deviceId)).toMatchObject({ state: 'cleared' });
    const all = await eventsOf(deviceId, 3);
    expect(all.map((e) => `${e.type}:${e.data.status ?? ''}`).sort()).toEqual([
      'device.clear-card:failed',
      'device.clear-card:succeeded',
      'device.report:',
    ]);
    expect(ops.callsOf(deviceNo, 'report')).toHaveLength(1);
    // a cleared job cannot be retried
    const again = await h.api('POST', `/v1/remote-ops/devices/${deviceId}/retry`, {}, admin);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'REMOTE_OP_ALREADY_DONE' } } });
  });

  it('retries a transient failure with doubling backoff and records one failed clear-card after N attempts', async () => {
    clock.set(T0);
    const deviceId = `srv-${uniq()}`;
    const deviceNo = `NO-${deviceId}`;
    for (let i = 0; i < 5; i++) ops.script(deviceNo, 'report', failure(null, 'REMOTE_SERVER_ERROR', '服务繁忙，请稍后重试'));
    await announce(hostedDevice({ deviceId, taxNo: taxNo() }));
    const start = new Date(T0).getTime();
    const gaps: number[] = [];
    let at = start;
    await scheduler.tick();
    for (let failures = 1; failures <= 4; failures++) {
      const row = (await job(deviceId))!;
      expect(row).toMatchObject({ state: 'pending', failures_in_row: failures, last_error_code: 'REMOTE_SERVER_ERROR' });
      gaps.push(row.next_attempt_at.getTime() - at);
      // not due yet: nothing is sent
      clock.set(new Date(row.next_attempt_at.getTime() - 1000).toISOString());
      await scheduler.tick();
      expect(ops.callsOf(deviceNo)).toHaveLength(failures);
      at = row.next_attempt_at.getTime();
      clock.set(row.next_attempt_at.toISOString());
      await scheduler.tick();
    }
    expect(gaps).toEqual([1 * MIN, 2 * MIN, 4 * MIN, 8 * MIN]);
    // the fourth failure recorded the alert; the fifth does not record another
    expect((await job(deviceId))!.failures_in_row).toBe(5);
    const alerts = await eventsOf(deviceId, 1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].data).toMatchObject({
      status: 'failed',
      errorCode: 'REMOTE_SERVER_ERROR',
      errorMessage: '服务繁忙，请稍后重试',
      remote: { target: 'baiwang', failureClass: 'server' },
    });
    clock.set((await job(deviceId))!.next_attempt_at.toISOString());
    await scheduler.tick();
    expect(await job(deviceId)).toMatchObject({ state: 'cleared', failures_in_row: 0, last_error_code: null });
    const all = await eventsOf(deviceId, 3);
    expect(all.map((e) => `${e.type}:${e.data.status ?? ''}`).sort()).toEqual([
      'device.clear-card:failed',
      'device.clear-card:succeeded',
      'device.report:',
    ]);
    expect(ops.callsOf(deviceNo, 'report')).toHaveLength(6);
  });

  it('after an unknown outcome asks the platform first and does nothing twice', async () => {
    clock.set(T0);
    const lostReport = `lost-r-${uniq()}`;
    const lostClear = `lost-c-${uniq()}`;
    const tax = taxNo();
    ops.script(`NO-${lostReport}`, 'report', async (ref) => {
      ops.applyReport(ref);
      return failure(ref, 'REMOTE_NETWORK_ERROR', 'read timeout after send', true);
    });
    ops.script(`NO-${lostClear}`, 'clear', async (ref) => {
      ops.applyClear(ref);
      return failure(ref, 'REMOTE_NETWORK_ERROR', 'connection reset', true);
    });
    await announce(hostedDevice({ deviceId: lostReport, taxNo: tax }), hostedDevice({ deviceId: lostClear, taxNo: tax }));
    await scheduler.tick();
    expect(await job(lostReport)).toMatchObject({ state: 'pending', needs_status: true });
    expect(await job(lostClear)).toMatchObject({ state: 'reported', needs_status: true });
    clock.advance(MIN);
    await scheduler.tick();
    const stepsOf = (id: string) => ops.calls.filter((c) => c.ref.deviceNo === `NO-${id}`).map((c) => c.step);
    expect(stepsOf(lostReport)).toEqual(['report', 'status', 'clear']);
    expect(stepsOf(lostClear)).toEqual(['report', 'clear', 'status']);
    expect(await job(lostReport)).toMatchObject({ state: 'cleared', needs_status: false });
    expect(await job(lostClear)).toMatchObject({ state: 'cleared', needs_status: false });
    expect(ops.duplicates).toBe(0);
    // the lost 抄报's totals are unknown: no device.report for it; each device's 清卡 is recorded once
    expect((await eventsOf(lostReport, 1)).map((e) => `${e.type}:${e.data.status}`)).toEqual(['device.clear-card:succeeded']);
    expect((await eventsOf(lostClear, 2)).map((e) => `${e.type}:${e.data.status ?? ''}`).sort()).toEqual([
      'device.clear-card:succeeded',
      'device.report:',
    ]);
  });

  it('two replicas never run the same job twice', async () => {
    clock.set(T0);
    const tax = taxNo();
    const ids = Array.from({ length: 7 }, (_, i) => `dup-${i}-${uniq()}`);
    await announce(...ids.map((deviceId) => hostedDevice({ deviceId, taxNo: tax, branchId: 'gz' })));
    const other = new RemoteOpsScheduler(
      h.app.get(SYNC_CONFIG),
      h.app.get(RemoteOpJobsRepository),
      new RemoteOpsRunner(
        h.app.get(DataSource),
        h.app.get(RemoteOpJobsRepository),
        h.app.get(RemoteOpsEvents),
        h.app.get(TargetAdapters),
        h.app.get(SYNC_CONFIG),
        h.app.get<Clock>(CLOCK),
        new RemoteOpsMetrics(),
      ),
      clock,
      new RemoteOpsMetrics(),
    );
    let open!: () => void;
    ops.gate = new Promise((resolve) => (open = resolve));
    const both = Promise.all([scheduler.tick(), other.tick()]);
    await pollUntil(() => ops.calls.filter((c) => ids.some((id) => c.ref.deviceNo === `NO-${id}`)).length, (n) => n >= 7, {
      what: 'both replicas calling',
    });
    open();
    const [a, b] = await both;
    ops.gate = undefined;
    expect(a.ran).toBeGreaterThan(0);
    expect(b.ran).toBeGreaterThan(0);
    for (const id of ids) {
      expect(ops.calls.filter((c) => c.ref.deviceNo === `NO-${id}`).map((c) => c.step)).toEqual(['report', 'clear']);
      expect(await job(id)).toMatchObject({ state: 'cleared', attempts: 1 });
    }
    for (const id of ids) expect(await eventsOf(id, 2)).toHaveLength(2);
  });

  it('a taxpayer or a device switched off gets no job; switched on again, it runs', async () => {
    clock.set(T0);
    const tax = taxNo();
    const [d1, d2] = [`set-1-${uniq()}`, `set-2-${uniq()}`];
    await announce(hostedDevice({ deviceId: d1, taxNo: tax }), hostedDevice({ deviceId: d2, taxNo: tax }));
    const off = await h.api('PUT', `/v1/remote-ops/taxpayers/${tax}`, { enabled: false, reason: '本月手工抄报' }, admin);
    expect(off).toMatchObject({
      status: 200,
      body: { scope: 'taxpayer', taxNo: tax, enabled: false, reason: '本月手工抄报', updatedBy: { kind: 'person', subject: 'admin-7', name: '李静' } },
    });
    await scheduler.tick();
    expect(await job(d1)).toBeUndefined();
    expect(await job(d2)).toBeUndefined();
    const listed = await h.api('GET', `/v1/remote-ops?taxNo=${tax}`, undefined, auditor);
    expect((listed.body.items as { deviceId: string; state: string }[]).map((i) => [i.deviceId, i.state])).toEqual(
      [[d1, 'disabled'], [d2, 'disabled']].sort(),
    );
    const retryOff = await h.api('POST', `/v1/remote-ops/devices/${d1}/retry`, {}, admin);
    expect(retryOff).toMatchObject({ status: 409, body: { error: { code: 'REMOTE_OPS_DISABLED' } } });

    const deviceOff = await h.api('PUT', `/v1/remote-ops/devices/${d2}`, { enabled: false, reason: '设备维修中' }, admin);
    expect(deviceOff).toMatchObject({ status: 200, body: { scope: 'device', deviceId: d2, taxNo: tax, enabled: false } });
    expect((await h.api('PUT', `/v1/remote-ops/taxpayers/${tax}`, { enabled: true, reason: '恢复' }, admin)).status).toBe(200);
    await scheduler.tick();
    expect(await job(d1)).toMatchObject({ state: 'cleared' });
    expect(await job(d2)).toBeUndefined();
    expect(ops.callsOf(`NO-${d2}`)).toHaveLength(0);

    const audit = await h.api('GET', '/v1/audit?limit=20&targetType=taxpayer', undefined, auditor);
    const mine = (audit.body.items as { action: string; target: { id: string }; reason: string; detail: { enabled: boolean } }[]).filter(
      (e) => e.target.id === tax,
    );
    expect(mine.map((e) => [e.action, e.reason, e.detail.enabled])).toEqual([
      ['remote-ops.taxpayer.set', '恢复', true],
      ['remote-ops.taxpayer.set', '本月手工抄报', false],
    ]);
    const deviceAudit = await h.api('GET', `/v1/audit?targetType=device&targetId=${d2}`, undefined, auditor);
    expect(deviceAudit.body.items).toEqual([
      expect.objectContaining({ action: 'remote-ops.device.set', branchId: 'sz', taxNo: tax, reason: '设备维修中', actor: { kind: 'person', subject: 'admin-7', name: '李静' } }),
    ]);
  });

  it("the API: branch scope, permissions, keyset pages and validation errors", async () => {
    clock.set(T0);
    const tax = taxNo();
    const ids = [`api-a-${uniq()}`, `api-b-${uniq()}`, `api-c-${uniq()}`];
    await announce(
      hostedDevice({ deviceId: ids[0], taxNo: tax, branchId: 'sz' }),
      hostedDevice({ deviceId: ids[1], taxNo: tax, branchId: 'bj' }),
      hostedDevice({ deviceId: ids[2], taxNo: tax, branchId: 'sz' }),
    );
    const asClerk = await h.api('GET', `/v1/remote-ops?taxNo=${tax}&period=2026-02`, undefined, clerk);
    expect(asClerk.status).toBe(200);
    expect((asClerk.body.items as { deviceId: string }[]).map((i) => i.deviceId)).toEqual([ids[0], ids[2]].sort());
    expect(asClerk.body).toMatchObject({ period: '2026-02', nextCursor: null });
    expect(asClerk.body.items[0]).toEqual({
      deviceId: [ids[0], ids[2]].sort()[0],
      taxNo: tax,
      branchId: 'sz',
      deviceNo: `NO-${[ids[0], ids[2]].sort()[0]}`,
      hostedOn: 'baiwang',
      period: '2026-02',
      state: 'pending',
      attempts: 0,
      lastErrorCode: null,
      lastErrorMessage: null,
      nextAttemptAt: null,
      reportedAt: null,
      clearedAt: null,
    });
    // keyset pages of one
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { deviceId: string }[]; nextCursor: string | null } } = (await h.api(
        'GET',
        `/v1/remote-ops?taxNo=${tax}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        auditor,
      )) as never;
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.deviceId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());

    // permissions: a clerk and an auditor read but do not manage; no token is 401
    for (const response of [
      await h.api('PUT', `/v1/remote-ops/taxpayers/${tax}`, { enabled: false, reason: 'x' }, clerk),
      await h.api('PUT', `/v1/remote-ops/devices/${ids[0]}`, { enabled: false, reason: 'x' }, auditor),
      await h.api('POST', `/v1/remote-ops/devices/${ids[0]}/retry`, {}, clerk),
    ]) {
      expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    expect((await h.api('GET', '/v1/remote-ops', undefined, null)).status).toBe(401);

    // validation
    const invalid = async (method: string, path: string, body: unknown, field: string) => {
      const response = await h.api(method, path, body, admin);
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
      expect((response.body.error.details as { field: string }[]).map((d) => d.field)).toContain(field);
    };
    await invalid('PUT', `/v1/remote-ops/taxpayers/${tax}`, { enabled: false, reason: '' }, 'body.reason');
    await invalid('PUT', `/v1/remote-ops/taxpayers/${tax}`, { enabled: false, reason: 'x'.repeat(501) }, 'body.reason');
    await invalid('PUT', `/v1/remote-ops/devices/${ids[0]}`, { enabled: 'no', reason: 'x' }, 'body.enabled');
    await invalid('PUT', `/v1/remote-ops/devices/${ids[0]}`, { reason: 'x' }, 'body.enabled');
    await invalid('PUT', '/v1/remote-ops/taxpayers/not-a-taxno', { enabled: true, reason: 'x' }, 'taxNo');
    await invalid('GET', '/v1/remote-ops?state=stuck', undefined, 'query.state');
    await invalid('GET', '/v1/remote-ops?period=2026-13', undefined, 'query.period');
    const badCursor = await h.api('GET', '/v1/remote-ops?cursor=%%%', undefined, admin);
    expect(badCursor).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CURSOR' } } });
    const unknown = await h.api('PUT', `/v1/remote-ops/devices/no-such-${uniq()}`, { enabled: false, reason: 'x' }, admin);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    const unknownRetry = await h.api('POST', `/v1/remote-ops/devices/no-such-${uniq()}/retry`, undefined, admin);
    expect(unknownRetry).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });

    // the retry of a device not planned yet creates its job, due now, audited
    const retried = await h.api('POST', `/v1/remote-ops/devices/${ids[1]}/retry`, undefined, admin);
    expect(retried).toMatchObject({ status: 202, body: { deviceId: ids[1], state: 'pending', branchId: 'bj' } });
    const audit = await h.api('GET', `/v1/audit?action=remote-ops.retry&targetId=${ids[1]}`, undefined, auditor);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'remote-ops.retry', branchId: 'bj', taxNo: tax, detail: { period: '2026-02', previousState: null } }),
    ]);
    clock.set(AFTER_DEADLINE);
    const closed = await h.api('POST', `/v1/remote-ops/devices/${ids[0]}/retry`, undefined, admin);
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'FILING_WINDOW_CLOSED' } } });
    clock.set(T0);
  });
});
