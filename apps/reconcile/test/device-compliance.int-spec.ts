import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { filingDeadline } from '@lib/domain';
import { startTestIssuer, TestIssuer } from '@lib/testing';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const TAX_NO = '91440300MA5XXXXX1A';

interface DeviceItem {
  deviceId: string;
  branchId: string;
  clearedForPeriod: boolean;
  [key: string]: unknown;
}

/**
 * The devices' compliance board (issue 14) from reconcile's projections of device.events.v1: on 2026-11-10 the period due
 * at the filing deadline is 2026-10. A clerk of SZ01 sees SZ01's devices only (another branch's device is 404 exactly as
 * an unknown one); a device that must clear 2026-10 and has not shows clearedForPeriod false, one first seen in November
 * need not clear October.
 */
describe('GET /v1/devices (real PostgreSQL, tokens from a test issuer)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let issuer: TestIssuer;
  let clerk: string;
  let manager: string;

  const monitor = (
    deviceId: string,
    branchId: string,
    firstSeen: string,
    over: Record<string, unknown> = {},
  ) =>
    h.query(
      `INSERT INTO device_monitors (device_id, tax_no, branch_id, at, lock_date, offline_since, offline_amount,
         offline_amount_limit, offline_hours_limit, first_seen_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        deviceId,
        TAX_NO,
        branchId,
        over.at ?? '2026-11-09T08:00:00Z',
        over.lockDate ?? '2026-12-16',
        over.offlineSince ?? null,
        over.offlineAmount ?? '0.00',
        over.offlineAmountLimit ?? '100000.00',
        over.offlineHoursLimit ?? 72,
        firstSeen,
        randomUUID(),
      ],
    );
  const clearCard = (
    deviceId: string,
    branchId: string,
    period: string,
    status: 'succeeded' | 'failed',
    at: string,
  ) =>
    h.query(
      `INSERT INTO device_clear_cards (device_id, period, tax_no, branch_id, status, succeeded_at, at, error_code, event_id)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'succeeded' THEN $6::timestamptz END, $6, CASE WHEN $5 = 'failed' THEN 'E1' END, $7)`,
      [deviceId, period, TAX_NO, branchId, status, at, randomUUID()],
    );
  // as the projection records a 抄报: its totals per type, and the period reported (kept even for an empty month)
  const report = async (deviceId: string, branchId: string, period: string, type: string, at: string) => {
    await h.query(
      `INSERT INTO device_reports (device_id, period, invoice_type, tax_no, branch_id, invoice_count, amount, tax_amount, event_id, reported_at)
       VALUES ($1, $2, $3, $4, $5, 3, 300, 39, $6, $7)`,
      [deviceId, period, type, TAX_NO, branchId, randomUUID(), at],
    );
    await h.query(
      `INSERT INTO device_report_periods (device_id, period, tax_no, branch_id, reported_at, event_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (device_id, period) DO UPDATE SET reported_at = GREATEST(device_report_periods.reported_at, EXCLUDED.reported_at)`,
      [deviceId, period, TAX_NO, branchId, at, randomUUID()],
    );
  };
  const get = async (token: string, path: string) => h.api('GET', path, undefined, token);

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start([], clock, { ...issuer.env, RECONCILE_WORKERS_ENABLED: 'false' });
    // cleared October; offline since the 8th with 1,234.50 of 100,000.00
    await monitor('dev-sz-1', 'SZ01', '2026-08-01T00:00:00Z', {
      offlineSince: '2026-11-08T00:00:00Z',
      offlineAmount: '1234.50',
      offlineAmountLimit: '100000.00',
      offlineHoursLimit: 168,
    });
    await clearCard('dev-sz-1', 'SZ01', '2026-09', 'succeeded', '2026-10-09T01:00:00Z');
    await clearCard('dev-sz-1', 'SZ01', '2026-10', 'succeeded', '2026-11-05T03:00:00Z');
    await report('dev-sz-1', 'SZ01', '2026-10', 'SPECIAL', '2026-11-03T02:00:00Z');
    await report('dev-sz-1', 'SZ01', '2026-10', 'GENERAL', '2026-11-03T02:00:00Z');
    await report('dev-sz-1', 'SZ01', '2026-09', 'GENERAL', '2026-10-03T02:00:00Z');
    await h.query(
      `INSERT INTO device_numbers (device_id, tax_no, device_no, at, event_id) VALUES ('dev-sz-1', $1, '499000000001', now(), $2)`,
      [TAX_NO, randomUUID()],
    );
    // tried October and failed: outstanding
    await monitor('dev-sz-2', 'SZ01', '2026-07-01T00:00:00Z', { lockDate: '2026-11-17' });
    await clearCard('dev-sz-2', 'SZ01', '2026-10', 'failed', '2026-11-06T03:00:00Z');
    // first seen in November: nothing to clear for October
    await monitor('dev-sz-3', 'SZ01', '2026-11-02T00:00:00Z');
    // another branch's, outstanding
    await monitor('dev-bj-1', 'BJ01', '2026-06-01T00:00:00Z');
    clerk = await issuer.token({
      sub: 'clerk-sz',
      name: '深圳 会计',
      roles: ['branch-clerk'],
      branches: ['SZ01'],
    });
    manager = await issuer.token({ sub: 'mgr-1', name: '王经理', roles: ['finance-manager'] });
  });
  afterAll(async () => {
    await h.stop();
    await issuer?.close();
  });

  it("shows a clerk only their branch's devices, with the filing due and each device's figures", async () => {
    const answer = await get(clerk, '/v1/devices');
    expect(answer.status).toBe(200);
    const deadline = filingDeadline('2026-10');
    expect(answer.body.filing).toEqual({
      period: '2026-10',
      deadline: deadline.deadline,
      closesAt: deadline.closesAt.toISOString(),
      daysLeft: expect.any(Number),
      overdue: false,
    });
    expect(answer.body.total).toBe(3);
    expect(answer.body.nextCursor).toBeNull();
    const items = answer.body.items as DeviceItem[];
    expect(items.map((d) => [d.deviceId, d.branchId, d.clearedForPeriod])).toEqual([
      ['dev-sz-1', 'SZ01', true],
      ['dev-sz-2', 'SZ01', false],
      ['dev-sz-3', 'SZ01', true],
    ]);
    expect(items[0]).toEqual({
      deviceId: 'dev-sz-1',
      taxNo: TAX_NO,
      branchId: 'SZ01',
      deviceNo: '499000000001',
      lastClearCard: { period: '2026-10', status: 'succeeded', at: '2026-11-05T03:00:00.000Z' },
      clearedForPeriod: true,
      clearRequired: true,
      lockDate: '2026-12-16',
      offlineSince: '2026-11-08T00:00:00.000Z',
      offlineAmount: '1234.50',
      offlineAmountLimit: '100000.00',
      offlineHoursLimit: 168,
      monitorAt: '2026-11-09T08:00:00.000Z',
      lastReport: { period: '2026-10', at: '2026-11-03T02:00:00.000Z' },
    });
    expect(items[1]).toMatchObject({
      lastClearCard: { period: '2026-10', status: 'failed' },
      clearRequired: true,
      lockDate: '2026-11-17',
      deviceNo: null,
      lastReport: null,
    });
    expect(items[2]).toMatchObject({ clearRequired: false, lastClearCard: null });
  });

  it('answers 404 DEVICE_NOT_FOUND for another branch’s device exactly as for an unknown one', async () => {
    const own = await get(clerk, '/v1/devices/dev-sz-2');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      deviceId: 'dev-sz-2',
      clearedForPeriod: false,
      filing: { period: '2026-10' },
    });
    const asked = await get(clerk, '/v1/devices/dev-bj-1');
    const missing = await get(clerk, '/v1/devices/dev-nope');
    expect(asked.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(JSON.stringify(asked.body).replace('dev-bj-1', '<id>')).toBe(
      JSON.stringify(missing.body).replace('dev-nope', '<id>'),
    );
    expect(JSON.stringify(asked.body)).toContain('DEVICE_NOT_FOUND');
    expect((await get(manager, '/v1/devices/dev-bj-1')).body).toMatchObject({
      branchId: 'BJ01',
      clearedForPeriod: false,
    });
    expect((await get(clerk, '/v1/devices?branchId=BJ01')).body).toMatchObject({ items: [], total: 0 });
  });

  it('lists the devices still to clear, joins by ids, pages by cursor and judges another period on request', async () => {
    const outstanding = await get(clerk, '/v1/devices?cleared=false');
    expect((outstanding.body.items as DeviceItem[]).map((d) => d.deviceId)).toEqual(['dev-sz-2']);
    expect(outstanding.body.total).toBe(1);
    const all = await get(manager, '/v1/devices?cleared=false');
    expect((all.body.items as DeviceItem[]).map((d) => d.deviceId)).toEqual(['dev-bj-1', 'dev-sz-2']);
    const joined = await get(clerk, '/v1/devices?deviceIds=dev-sz-3,dev-bj-1,dev-sz-1');
    expect((joined.body.items as DeviceItem[]).map((d) => d.deviceId)).toEqual(['dev-sz-1', 'dev-sz-3']);
    const first = await get(manager, '/v1/devices?limit=2');
    expect(first.body.total).toBe(4);
    const second = await get(manager, `/v1/devices?limit=2&cursor=${String(first.body.nextCursor)}`);
    expect([...first.body.items, ...second.body.items].map((d: DeviceItem) => d.deviceId)).toEqual([
      'dev-bj-1',
      'dev-sz-1',
      'dev-sz-2',
      'dev-sz-3',
    ]);
    expect(second.body.nextCursor).toBeNull();
    const september = await get(clerk, '/v1/devices?period=2026-09');
    expect(september.body.filing.period).toBe('2026-09');
    expect(september.body.filing.overdue).toBe(true);
    expect((september.body.items as DeviceItem[]).map((d) => d.clearedForPeriod)).toEqual([
      true,
      false,
      true,
    ]);
    expect((await get(clerk, '/v1/devices?cursor=zz')).status).toBe(400);
    expect((await get(clerk, '/v1/devices?cleared=maybe')).status).toBe(400);
  });
});
