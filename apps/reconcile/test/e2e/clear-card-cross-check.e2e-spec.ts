import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock } from '@lib/common';
import { pollUntil } from '@lib/testing';
import { ReconcileHarness } from '../support/reconcile-harness';

jest.setTimeout(120_000);

const TAX_NO = '91440300MA5XXXXX1A';
const PERIOD = '2026-10';

type FindingItem = {
  type: string;
  deviceId: string;
  state: string;
  explanation: string;
  evidence: Record<string, unknown>;
};

/**
 * The whole app on Kafka and PostgreSQL against the sandbox authority: device events carry the authority number
 * (机器编号), reconcile projects it, each run asks the authority about the devices' clear-cards before comparing,
 * and the CLEAR_CARD_* findings follow the authority where it contradicts the device.
 */
describe('clear-card cross-check in reconcile runs (sandbox authority, Kafka, PostgreSQL)', () => {
  const h = new ReconcileHarness();
  // after the 2026-10 filing deadline (16 Nov 2026)
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  let sandbox: RunningSandbox;

  const clearCard = (
    deviceId: string,
    deviceNo: string | null | undefined,
    status: 'succeeded' | 'failed',
    at: string,
  ) =>
    h.send('device.events.v1', 'device.clear-card', {
      period: PERIOD,
      status,
      at,
      errorCode: status === 'failed' ? 'CARD_IO' : null,
      errorMessage: status === 'failed' ? 'card reader busy' : null,
      deviceId,
      branchId: 'sz',
      taxNo: TAX_NO,
      receivedAt: at,
      ...(deviceNo === undefined ? {} : { deviceNo }),
    });

  const reconcile = async () => {
    clock.advance(3_600_000);
    const { body } = await h.api('POST', '/v1/reconciliations', { taxNo: TAX_NO, period: PERIOD });
    const done = await pollUntil(
      () => h.api('GET', `/v1/reconciliations/${body.runId}`),
      (r) => !['queued', 'running'].includes(r.body.state),
      { what: 'run' },
    );
    expect(done.body.state).toBe('completed');
    return done.body;
  };
  const findingsOf = async (deviceId: string): Promise<FindingItem[]> => {
    const { body } = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&period=${PERIOD}&limit=200`);
    return (body.items as FindingItem[])
      .filter((f) => f.deviceId === deviceId)
      .sort((a, b) => a.type.localeCompare(b.type));
  };
  const openTypes = async (deviceId: string) =>
    (await findingsOf(deviceId)).filter((f) => f.state === 'open').map((f) => f.type);

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-clear-card-runs',
      authority: { visibilityLagMs: 0 },
    });
    await h.start(undefined, clock, {
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '1000',
      RECONCILE_CLEAR_CARD_MIN_INTERVAL_MS: '0',
    });
    // dev-1 says it cleared on 14 Nov; dev-2 and dev-3 failed; dev-4 failed and has no number (registered without one);
    // dev-5 comes from an older gateway (no deviceNo field at all) and cleared.
    await clearCard('dev-1', '661234567890', 'succeeded', '2026-11-14T02:00:00Z');
    await clearCard('dev-2', '661234567891', 'failed', '2026-11-05T01:00:00Z');
    await clearCard('dev-3', '661234567892', 'failed', '2026-11-05T01:00:00Z');
    await clearCard('dev-4', null, 'failed', '2026-11-05T01:00:00Z');
    await clearCard('dev-5', undefined, 'succeeded', '2026-11-05T01:00:00Z');
    // each device did its 抄报 (nothing issued): only the clear-cards are in question here
    for (const deviceId of ['dev-1', 'dev-2', 'dev-3', 'dev-4', 'dev-5'])
      await h.send('device.events.v1', 'device.report', {
        period: PERIOD,
        totals: [],
        deviceId,
        branchId: 'sz',
        taxNo: TAX_NO,
        receivedAt: '2026-11-04T01:00:00Z',
      });
    await pollUntil(
      () =>
        h.query(
          'SELECT device_id FROM device_clear_cards UNION ALL SELECT device_id FROM device_numbers UNION ALL SELECT device_id FROM device_report_periods',
        ),
      (r) => r.length === 14,
      { what: 'device projection', timeoutMs: 60_000 },
    );
  });
  afterAll(async () => {
    await h.stop();
    await sandbox?.close();
  });

  it('projects the number each event carries (none for a device without one or from an older gateway)', async () => {
    expect(await h.query('SELECT device_id, device_no FROM device_numbers ORDER BY device_id')).toEqual([
      { device_id: 'dev-1', device_no: '661234567890' },
      { device_id: 'dev-2', device_no: '661234567891' },
      { device_id: 'dev-3', device_no: '661234567892' },
      { device_id: 'dev-4', device_no: null },
    ]);
  });

  it('DEVICE_ONLY: the device says cleared, the authority has none → CLEAR_CARD_OVERDUE with the authority in the evidence', async () => {
    const run = await reconcile();
    expect(run.counts.discrepancies).toEqual({ CLEAR_CARD_OVERDUE: 4, CLEAR_CARD_FAILED: 3 });
    const [overdue] = await findingsOf('dev-1');
    expect(overdue).toMatchObject({ type: 'CLEAR_CARD_OVERDUE', state: 'open' });
    expect(overdue.explanation).toBe(
      '开票设备 dev-1（分支机构 sz，机器编号 661234567890）于11月14日报告已完成2026年10月的清卡，但税局没有该期的清卡记录，且申报截止日2026年11月16日已过；除非重新清卡，设备将锁死。',
    );
    expect(overdue.evidence).toMatchObject({
      lastStatus: 'succeeded',
      authority: {
        deviceNo: '661234567890',
        status: 'NOT_CLEARED',
        agreement: 'DEVICE_ONLY',
        checkedAt: expect.any(String),
      },
    });
    // the device from an older gateway is judged on its own report: it cleared
    expect(await findingsOf('dev-5')).toEqual([]);
    // dev-4 has no number: as without the cross-check, and the evidence says why
    const dev4 = await findingsOf('dev-4');
    expect(dev4.map((f) => f.explanation)).toEqual([
      '开票设备 dev-4（分支机构 sz）于11月5日进行2026年10月的清卡失败（CARD_IO：card reader busy）；须在截止日2026年11月16日前重新清卡。',
      '开票设备 dev-4（分支机构 sz）尚未完成2026年10月的清卡，申报截止日2026年11月16日已过（最近一次清卡失败：CARD_IO）。',
    ]);
    for (const f of dev4) {
      expect(f.evidence.authority).toMatchObject({
        deviceNo: null,
        unknown: 'NO_DEVICE_NUMBER',
        detail: 'the authority number (机器编号) of this device is not known',
      });
    }
    expect(await openTypes('dev-2')).toEqual(['CLEAR_CARD_FAILED', 'CLEAR_CARD_OVERDUE']);
  });

  it('AUTHORITY_ONLY: the authority has the clear-card the device reported failed → no finding, and the open ones resolve', async () => {
    sandbox.control.setClearCard({
      taxNo: TAX_NO,
      deviceNo: '661234567891',
      period: PERIOD,
      status: 'CLEARED',
      clearedAt: '2026-11-06T02:00:00Z',
    });
    const run = await reconcile();
    expect(run.counts.discrepancies).toEqual({ CLEAR_CARD_OVERDUE: 3, CLEAR_CARD_FAILED: 2 });
    expect(await openTypes('dev-2')).toEqual([]);
    expect((await findingsOf('dev-2')).map((f) => f.state)).toEqual(['resolved', 'resolved']);
    const stored = await h.query<{ status: string; cleared_at: string }>(
      `SELECT status, cleared_at FROM run_clear_card_checks WHERE run_id = $1 AND device_id = 'dev-2'`,
      [run.runId],
    );
    expect(stored).toEqual([{ status: 'CLEARED', cleared_at: '2026-11-06T02:00:00Z' }]);
  });

  it('authority down: the same findings, on the last answer, with "unavailable" in the evidence', async () => {
    const before = await findingsOf('dev-3');
    expect(before.map((f) => f.evidence.authority)).toEqual([
      expect.objectContaining({ status: 'NOT_CLEARED', agreement: 'agree' }),
      expect.objectContaining({ status: 'NOT_CLEARED', agreement: 'agree' }),
    ]);
    sandbox.control.setFaults('authority', {
      outage: { durationMs: 60_000, retryAfterSeconds: 1 },
      operations: ['clear-card'],
    });
    try {
      const run = await reconcile();
      const dev3 = await findingsOf('dev-3');
      expect(dev3.map((f) => [f.type, f.state, f.explanation])).toEqual(
        before.map((f) => [f.type, f.state, f.explanation]),
      );
      // the earlier run's answer (given after the device's last report) stands in, with why it was not asked again
      for (const f of dev3) {
        expect(f.evidence.authority).toMatchObject({
          deviceNo: '661234567892',
          status: 'NOT_CLEARED',
          agreement: 'agree',
          carriedFromRun: expect.any(String),
          unknownNow: 'AUTHORITY_UNAVAILABLE',
          detailNow: expect.stringContaining('AUTHORITY_SERVICE_UNAVAILABLE'),
        });
      }
      expect(await openTypes('dev-4')).toEqual(['CLEAR_CARD_FAILED', 'CLEAR_CARD_OVERDUE']);
      const unknown = await h.query<{ device_id: string }>(
        `SELECT device_id FROM run_clear_card_checks WHERE run_id = $1 AND unknown = 'AUTHORITY_UNAVAILABLE' ORDER BY device_id`,
        [run.runId],
      );
      expect(unknown.map((r) => r.device_id)).toEqual(['dev-1', 'dev-2', 'dev-3']);
    } finally {
      sandbox.control.clearFaults('authority');
    }
  });
});
