import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { DeviceChangedEventData, TOPICS } from '@lib/contracts';
import { addDays, filingDeadline, periodEnd, periodStart, startOfShanghaiDay } from '@lib/domain';
import { ALL_BRANCHES } from '@lib/platform';
import { pollUntil } from '@lib/testing';
import { DeviceComplianceRepository } from '../src/device-status/device-compliance.repository';
import { ComparePhaseService } from '../src/runs/compare-phase.service';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const TAX_A = '91440300MA5QUIET1A';
const TAX_B = '91440300MA5QUIET2B';
const TAX_C = '91440300MA5QUIET3C';
const PERIOD = '2026-10';

interface Row {
  type: string;
  subject: string;
  state: string;
  severity: string;
  explanation: string;
  evidence: Record<string, unknown>;
}

/**
 * Devices that go quiet (docs/device-operations.md, issue 15): the registry comes in as device.changed over Kafka, the
 * devices' own events too, and the comparison runs at injected times before, within and after the warning days of
 * 2026-10's filing deadline, and around a holiday-moved deadline (2025-09, due 2025-10-27).
 */
describe('quiet devices (real PostgreSQL and Kafka)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const deadline = filingDeadline(PERIOD);
  /** 10:00 Shanghai on the day `days` after the deadline day (negative: before). */
  const dayOf = (days: number) => new Date(startOfShanghaiDay(addDays(deadline.deadline, days)).getTime() + 2 * 3_600_000);

  const changed = (deviceId: string, taxNo: string, over: Partial<DeviceChangedEventData> = {}): DeviceChangedEventData => ({
    deviceId,
    taxNo,
    branchId: 'SZ01',
    deviceName: `前台${deviceId}`,
    deviceNo: null,
    status: 'active',
    hostedOn: null,
    registeredAt: '2026-09-01T00:00:00Z',
    activatedOn: null,
    change: 'registered',
    changedAt: '2026-09-01T00:00:00Z',
    reason: null,
    actor: null,
    replacedBy: null,
    ...over,
  });
  const origin = (deviceId: string, taxNo: string) => ({ deviceId, taxNo, branchId: 'SZ01', receivedAt: '2026-11-02T00:00:00Z' });
  const monitor = (deviceId: string, taxNo: string, at: string, hours = 72) =>
    h.send(TOPICS.deviceEvents, 'device.monitor', {
      ...origin(deviceId, taxNo), at, lockDate: '2027-01-31', offlineSince: null, offlineAmount: '0.00', offlineAmountLimit: '10000.00', offlineHoursLimit: hours,
    });

  const findings = (taxNo: string, period = PERIOD) =>
    h.query<Row>(
      'SELECT type, subject, state, severity, explanation, evidence FROM findings WHERE tax_no = $1 AND period = $2 ORDER BY subject, type',
      [taxNo, period],
    );
  const active = async (taxNo: string, period = PERIOD) =>
    (await findings(taxNo, period)).filter((f) => f.state !== 'resolved').map((f) => `${f.subject}:${f.type}:${f.severity}`);

  /** One complete run of the scope at `now` (the pull listed the whole period: nothing about the authority here). */
  const compareAt = async (taxNo: string, period: string, now: Date) => {
    const runId = randomUUID();
    await h.query(
      `INSERT INTO reconcile_runs (id, tax_no, period, state, trigger, requested_by, created_at, started_at) VALUES ($1, $2, $3, 'running', 'test', 'test', $4, $4)`,
      [runId, taxNo, period, now],
    );
    const phase = h.app.get(ComparePhaseService);
    const result = await h.dataSource.transaction((m) => phase.execute(m, { runId, taxNo, period, pullComplete: true, now }));
    await h.query(`UPDATE reconcile_runs SET state = 'completed', finished_at = $2 WHERE id = $1`, [runId, now]);
    return result;
  };

  beforeAll(async () => {
    await h.start([], clock, { RECONCILE_WORKERS_ENABLED: 'false' });
    // TAX_A, 2026-10
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('silent', TAX_A));
    // suspended on 20 Oct; the older "registered" arrives later and changes nothing (the newest by changedAt wins)
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('paused', TAX_A, { status: 'suspended', change: 'suspended', changedAt: '2026-10-20T00:00:00Z', reason: 'broken' }));
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('paused', TAX_A));
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('gone', TAX_A, { status: 'retired', change: 'retired', changedAt: '2026-10-25T00:00:00Z', reason: 'replaced' }));
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('reported', TAX_A, { deviceNo: '661200000031' }));
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('done', TAX_A));
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('late', TAX_A, { registeredAt: '2026-11-05T00:00:00Z', changedAt: '2026-11-05T00:00:00Z' }));
    // registered in November, but its tax device was issued in June: it must report October too
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('old', TAX_A, { registeredAt: '2026-11-05T00:00:00Z', changedAt: '2026-11-05T00:00:00Z', activatedOn: '2026-06-01' }));
    // the suspended and the retired device were active in October: they would be judged if the registry did not stop them
    await monitor('paused', TAX_A, '2026-10-10T00:00:00Z');
    await h.send(TOPICS.deviceEvents, 'device.clear-card', { ...origin('gone', TAX_A), period: PERIOD, status: 'failed', at: '2026-11-03T00:00:00Z', errorCode: 'E1', errorMessage: 'busy' });
    // an empty month reported (no invoice type at all), no clear-card yet
    await h.send(TOPICS.deviceEvents, 'device.report', { ...origin('reported', TAX_A), period: PERIOD, totals: [] });
    await monitor('reported', TAX_A, '2026-11-02T00:00:00Z');
    await h.send(TOPICS.deviceEvents, 'device.report', { ...origin('done', TAX_A), period: PERIOD, totals: [] });
    // alive (a reading in November) but neither 抄报 nor 清卡 for October
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('unreported', TAX_A));
    await monitor('unreported', TAX_A, '2026-11-03T00:00:00Z');
    await h.send(TOPICS.deviceEvents, 'device.clear-card', { ...origin('done', TAX_A), period: PERIOD, status: 'succeeded', at: '2026-11-03T00:00:00Z', errorCode: null, errorMessage: null });
    // TAX_B, the current period 2026-11: readings of different ages
    await monitor('stale', TAX_B, '2026-11-17T10:00:00Z');
    await monitor('fresh', TAX_B, '2026-11-19T20:00:00Z');
    await monitor('stale-paused', TAX_B, '2026-11-17T10:00:00Z');
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('stale-paused', TAX_B, { status: 'suspended', change: 'suspended', changedAt: '2026-11-18T00:00:00Z', reason: 'repair' }));
    // TAX_C, 2025-09 (deadline moved by the National Day holiday to 2025-10-27)
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('holiday', TAX_C, { registeredAt: '2025-08-01T00:00:00Z', changedAt: '2025-08-01T00:00:00Z' }));
    await pollUntil(
      async () => (await h.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM device_registry) + (SELECT COUNT(*) FROM device_monitors) + (SELECT COUNT(*) FROM device_clear_cards) + (SELECT COUNT(*) FROM device_report_periods) AS n'))[0].n,
      (n) => Number(n) === 10 + 6 + 2 + 2, // registry, readings, clear-cards, 抄报
      { what: 'the device events projected' },
    );
  });
  afterAll(() => h.stop());

  it('projects device.changed: the newest view by changedAt, idempotent, with the name and number in device_numbers', async () => {
    const registry = await h.query<{ device_id: string; status: string; began_at: Date }>(
      `SELECT device_id, status, began_at FROM device_registry WHERE tax_no = $1 ORDER BY device_id`,
      [TAX_A],
    );
    expect(registry.map((r) => `${r.device_id}:${r.status}`)).toEqual([
      'done:active', 'gone:retired', 'late:active', 'old:active', 'paused:suspended', 'reported:active', 'silent:active', 'unreported:active',
    ]);
    expect(registry.find((r) => r.device_id === 'old')?.began_at).toEqual(new Date('2026-05-31T16:00:00Z'));
    // the same message again (a redelivery) and an older view change nothing
    const before = await h.query('SELECT * FROM device_registry ORDER BY device_id');
    const id = randomUUID();
    const older = changed('gone', TAX_A, { status: 'active', changedAt: '2026-10-01T00:00:00Z' });
    await h.send(TOPICS.deviceEvents, 'device.changed', older, id);
    await h.send(TOPICS.deviceEvents, 'device.changed', older, id);
    await h.send(TOPICS.deviceEvents, 'device.changed', changed('silent', TAX_A, { deviceName: '前台1号', change: 'snapshot', changedAt: '2026-10-05T00:00:00Z' }));
    await pollUntil(() => h.query<{ device_name: string }>(`SELECT device_name FROM device_numbers WHERE device_id = 'silent'`), (r) => r[0]?.device_name === '前台1号');
    const after = await h.query<{ device_id: string }>('SELECT * FROM device_registry ORDER BY device_id');
    expect(after.filter((r) => r.device_id !== 'silent')).toEqual(before.filter((r) => (r as { device_id: string }).device_id !== 'silent'));
    expect(await h.query(`SELECT device_no, device_name FROM device_numbers WHERE device_id = 'reported'`)).toEqual([
      { device_no: '661200000031', device_name: '前台reported' },
    ]);
  });

  it('says nothing before the warning days, and no clear-card is overdue yet', async () => {
    await compareAt(TAX_A, PERIOD, dayOf(-4));
    expect(await active(TAX_A)).toEqual([]);
  });

  it('within the warning days: a registered device that sent nothing is DEVICE_SILENT, one that reported but did not clear CLEAR_CARD_MISSING', async () => {
    await compareAt(TAX_A, PERIOD, dayOf(-2));
    expect(await active(TAX_A)).toEqual([
      'old:DEVICE_SILENT:warning', 'reported:CLEAR_CARD_MISSING:warning', 'silent:DEVICE_SILENT:warning',
      'unreported:CLEAR_CARD_MISSING:warning', 'unreported:REPORT_MISSING:warning',
    ]);
    const missing = (await findings(TAX_A)).find((f) => f.subject === 'unreported' && f.type === 'REPORT_MISSING');
    expect(missing?.explanation).toMatch(/^开票设备“前台unreported”（分支机构 SZ01）尚未完成2026年10月的抄报，申报截止日为2026年11月\d+日（还剩2天）；请在截止日前完成抄报。$/);
    const [silent] = (await findings(TAX_A)).filter((f) => f.subject === 'silent');
    const day = Number(deadline.deadline.slice(8));
    expect(silent.explanation).toBe(
      `开票设备“前台1号”（分支机构 SZ01）自2026年10月1日起没有任何抄报、清卡或监控数据（从未上报过数据），2026年10月的申报截止日为2026年11月${day}日（还剩2天）；请确认设备是否仍在使用：在用请在截止日前完成抄报和清卡，不再使用请将其停用或注销。`,
    );
    expect(silent.evidence).toMatchObject({ kind: 'no-activity', deviceId: 'silent', period: PERIOD, deadline: deadline.deadline, periodStart: '2026-10-01', lastSeenAt: null });
    const [reported] = (await findings(TAX_A)).filter((f) => f.subject === 'reported');
    expect(reported.explanation).toMatch(/^开票设备“前台reported”（分支机构 SZ01，机器编号 661200000031）尚未完成2026年10月的清卡（已于.+完成抄报），申报截止日为2026年11月\d+日（还剩2天）；请在截止日前完成清卡，否则设备将锁死。$/);
    expect(reported.evidence).toMatchObject({ lastReadingAt: '2026-11-02T00:00:00+00:00', deadline: deadline.deadline });
    // the compliance board judges the same devices: the suspended, retired and late ones need not clear October
    const board = await h.app.get(DeviceComplianceRepository).list(ALL_BRANCHES, { taxNo: TAX_A }, { period: PERIOD, start: periodStart(PERIOD), end: periodEnd(PERIOD) }, null, 50);
    expect(board.filter((d) => d.clearRequired).map((d) => d.deviceId)).toEqual(['done', 'old', 'reported', 'silent', 'unreported']);
    expect(board.filter((d) => !d.clearedForPeriod).map((d) => d.deviceId)).toEqual(['old', 'reported', 'silent', 'unreported']);
  });

  it('becomes critical on the last day', async () => {
    await compareAt(TAX_A, PERIOD, dayOf(0));
    expect(await active(TAX_A)).toEqual([
      'old:DEVICE_SILENT:critical', 'reported:CLEAR_CARD_MISSING:critical', 'silent:DEVICE_SILENT:critical',
      'unreported:CLEAR_CARD_MISSING:critical', 'unreported:REPORT_MISSING:warning',
    ]);
  });

  it('after the deadline: CLEAR_CARD_OVERDUE takes over from CLEAR_CARD_MISSING; suspended and retired devices get nothing; a re-run duplicates nothing', async () => {
    await compareAt(TAX_A, PERIOD, dayOf(1));
    const expected = [
      'old:CLEAR_CARD_OVERDUE:critical', 'old:DEVICE_SILENT:critical',
      'reported:CLEAR_CARD_OVERDUE:critical',
      'silent:CLEAR_CARD_OVERDUE:critical', 'silent:DEVICE_SILENT:critical',
      'unreported:CLEAR_CARD_OVERDUE:critical', 'unreported:REPORT_MISSING:warning',
    ];
    expect(await active(TAX_A)).toEqual(expected);
    expect((await findings(TAX_A)).filter((f) => f.type === 'CLEAR_CARD_MISSING').map((f) => f.state)).toEqual(['resolved', 'resolved']);
    expect((await findings(TAX_A)).filter((f) => ['paused', 'gone', 'late', 'done'].includes(f.subject))).toEqual([]);
    const rows = await h.query('SELECT COUNT(*)::int AS n FROM findings');
    const history = await h.query('SELECT COUNT(*)::int AS n FROM finding_history');
    const updated = await h.query('SELECT id, state, updated_at, explanation FROM findings ORDER BY id');
    await compareAt(TAX_A, PERIOD, dayOf(1));
    expect(await active(TAX_A)).toEqual(expected);
    expect(await h.query('SELECT COUNT(*)::int AS n FROM findings')).toEqual(rows);
    expect(await h.query('SELECT COUNT(*)::int AS n FROM finding_history')).toEqual(history);
    // no transition (each would have its history row and its event), no sentence rewritten
    expect(await h.query('SELECT id, state, updated_at, explanation FROM findings ORDER BY id')).toEqual(updated);
  });

  it('in the current period, a reading older than 80% of the offline hours limit is DEVICE_SILENT, saying when it may lock', async () => {
    await compareAt(TAX_B, '2026-11', new Date('2026-11-19T02:00:00Z'));
    // 40 hours after the reading: 56% of 72 hours
    expect(await active(TAX_B, '2026-11')).toEqual([]);
    await compareAt(TAX_B, '2026-11', new Date('2026-11-20T02:00:00Z'));
    // 64 hours: 89%, and it may lock 8 hours from now (critical); the fresh one and the suspended one say nothing
    expect(await active(TAX_B, '2026-11')).toEqual(['stale:DEVICE_SILENT:critical']);
    const [stale] = await findings(TAX_B, '2026-11');
    expect(stale.evidence).toMatchObject({
      kind: 'stale-reading', lastReadingAt: '2026-11-17T10:00:00+00:00', offlineHoursLimit: 72, thresholdPercent: 80,
      mayLockAt: '2026-11-20T10:00:00+00:00', deadline: filingDeadline('2026-11').deadline,
    });
    expect(stale.explanation).toContain('最近一次监控数据在11月17日 18:00，已超过离线时限72小时的80%，最早可能在11月20日 18:00锁死');
  });

  it('follows a deadline moved by a holiday (2025-09, due 27 Oct 2025)', async () => {
    expect(filingDeadline('2025-09').deadline).toBe('2025-10-27');
    // after the 15th, where an unmoved deadline would have passed: nothing yet
    await compareAt(TAX_C, '2025-09', new Date('2025-10-20T02:00:00Z'));
    expect(await active(TAX_C, '2025-09')).toEqual([]);
    await compareAt(TAX_C, '2025-09', new Date('2025-10-25T02:00:00Z'));
    expect(await active(TAX_C, '2025-09')).toEqual(['holiday:DEVICE_SILENT:warning']);
    expect((await findings(TAX_C, '2025-09'))[0].explanation).toContain('2025年9月的申报截止日为2025年10月27日（还剩2天）');
    await compareAt(TAX_C, '2025-09', new Date('2025-10-28T02:00:00Z'));
    expect(await active(TAX_C, '2025-09')).toEqual(['holiday:CLEAR_CARD_OVERDUE:critical', 'holiday:DEVICE_SILENT:critical']);
  });
});
