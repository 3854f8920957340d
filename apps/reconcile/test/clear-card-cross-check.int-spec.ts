import { randomUUID } from 'node:crypto';
import { isAppError } from '@lib/common';
import { ClearCardState, ClearCardStatus } from '@lib/providers';
import { ExternalCallError } from '@lib/resilience';
import { ClearCardChecksRepository } from '../src/device-status/clear-card-checks.repository';
import {
  ClearCardCrossCheckService,
  ClearCardReader,
} from '../src/device-status/clear-card-cross-check.service';
import { ProjectedDeviceNumbers } from '../src/device-status/projected-device-numbers.repository';
import { DeviceProjectionRepository } from '../src/projections/device-projection.repository';
import { RunsRepository } from '../src/runs/runs.repository';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { Seed } from './support/seed';

jest.setTimeout(60_000);

type Finding = {
  type: string;
  subject: string;
  state: string;
  explanation: string;
  evidence: Record<string, unknown>;
};

const PERIOD = '2026-10';
/** After the 2026-10 filing deadline (16 Nov 2026). */
const AFTER = new Date('2026-11-20T02:00:00Z');

/**
 * The authority's clear-card status next to the device's own report, on a real PostgreSQL: the device number
 * projected from device events, the run's questions (which devices, the limit, the spacing, fencing), and the
 * comparison that joins the answers into CLEAR_CARD_* findings, their evidence and their sentences.
 */
describe('clear-card cross-check (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const projection = new DeviceProjectionRepository();
  const uuid = () => randomUUID();

  const findings = (subject: string) =>
    db.query<Finding>(
      'SELECT type, subject, state, explanation, evidence FROM findings WHERE subject = $1 ORDER BY type',
      [subject],
    );
  /** The device's active clear-card findings (these devices did no 抄报: REPORT_MISSING is quiet-devices.int-spec's). */
  const open = async (subject: string) =>
    (await findings(subject)).filter((f) => f.state !== 'resolved' && f.type !== 'REPORT_MISSING').map((f) => f.type);
  const status = (
    deviceNo: string,
    s: ClearCardState,
    extra: Partial<ClearCardStatus> = {},
  ): ClearCardStatus => ({
    taxNo: TAX_NO,
    deviceNo,
    period: PERIOD,
    status: s,
    clearedAt: null,
    errorCode: null,
    errorMessage: null,
    ...extra,
  });
  const runningRun = async (workerId = 'w1') => {
    const id = await db.newRun(PERIOD);
    await db.query(
      `UPDATE reconcile_runs SET state = 'running', worker_id = $2, lease_until = now() + interval '1 hour' WHERE id = $1`,
      [id, workerId],
    );
    return { id, workerId, taxNo: TAX_NO, period: PERIOD };
  };
  const finishRun = (id: string) =>
    db.query(`UPDATE reconcile_runs SET state = 'completed' WHERE id = $1`, [id]);
  const service = (reader: ClearCardReader, settings: { maxChecks?: number; minIntervalMs?: number } = {}) =>
    new ClearCardCrossCheckService(
      db.dataSource,
      new ClearCardChecksRepository(db.dataSource),
      new RunsRepository(db.dataSource, db.ids),
      new ProjectedDeviceNumbers(db.dataSource),
      reader,
      {
        maxChecks: settings.maxChecks ?? 10,
        minIntervalMs: settings.minIntervalMs ?? 0,
        leaseMs: 60_000,
      },
    );
  const numbered = async (deviceId: string, deviceNo: string | null, receivedAt = '2026-11-01T00:00:00Z') =>
    db.dataSource.transaction((m) =>
      projection.recordDeviceNo(m, uuid(), { deviceId, taxNo: TAX_NO, deviceNo, receivedAt }),
    );

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  describe('device numbers from device events', () => {
    it('keeps the number of the newest event, forgets it on null, and ignores events without the field', async () => {
      const numbers = new ProjectedDeviceNumbers(db.dataSource);
      await numbered('dev-n', '661200000001', '2026-11-02T00:00:00Z');
      await numbered('dev-n', '661200000000', '2026-11-01T00:00:00Z'); // an older event, replayed late
      expect(await numbers.authorityDeviceNo(TAX_NO, 'dev-n')).toBe('661200000001');
      // an older gateway's event says nothing about the number
      await db.dataSource.transaction((m) =>
        projection.recordDeviceNo(m, uuid(), {
          deviceId: 'dev-n',
          taxNo: TAX_NO,
          receivedAt: '2026-11-05T00:00:00Z',
        }),
      );
      expect(await numbers.authorityDeviceNo(TAX_NO, 'dev-n')).toBe('661200000001');
      expect(await numbers.authorityDeviceNo('91440300MA5XXXXX2B', 'dev-n')).toBeNull();
      await numbered('dev-n', null, '2026-11-06T00:00:00Z');
      expect(await numbers.authorityDeviceNo(TAX_NO, 'dev-n')).toBeNull();
      await numbered('dev-n2', '661200000002');
      expect(await numbers.authorityDeviceNos(TAX_NO, ['dev-n', 'dev-n2', 'dev-none'])).toEqual(
        new Map([['dev-n2', '661200000002']]),
      );
    });
  });

  describe('asking the authority before a run compares', () => {
    beforeAll(async () => {
      // dev-q1/dev-q2 numbered and cleared; dev-q3 numbered, nothing to judge before the deadline; dev-q4 failed, no number.
      await seed.clearCard('dev-q1', PERIOD, 'succeeded', '2026-11-03T01:00:00Z');
      await seed.clearCard('dev-q2', PERIOD, 'succeeded', '2026-11-03T01:00:00Z');
      await seed.report('dev-q3', PERIOD, 'DIGITAL_GENERAL', 0, '0.00', '0.00');
      await seed.clearCard('dev-q4', PERIOD, 'failed', '2026-11-03T01:00:00Z', 'CARD_IO');
      await numbered('dev-q1', '661200000011');
      await numbered('dev-q2', '661200000012');
      await numbered('dev-q3', '661200000013');
    });
    afterAll(() =>
      db.query(
        `DELETE FROM device_clear_cards WHERE device_id LIKE 'dev-q%'; DELETE FROM device_reports WHERE device_id LIKE 'dev-q%'`,
      ),
    );

    const recorded = (runId: string) =>
      db.query<Record<string, unknown>>(
        'SELECT device_id, device_no, status, unknown, detail FROM run_clear_card_checks WHERE run_id = $1 ORDER BY device_id',
        [runId],
      );

    it('asks about the devices whose finding the answer could change, numbered first, up to the limit, spaced', async () => {
      const calls: { deviceNo: string; at: number }[] = [];
      const reader: ClearCardReader = {
        clearCardStatus: async (_t, deviceNo) => (
          calls.push({ deviceNo, at: Date.now() }),
          status(deviceNo, 'CLEARED')
        ),
      };
      const run = await runningRun();
      await service(reader, { maxChecks: 1, minIntervalMs: 0 }).record(run, new Date('2026-11-10T02:00:00Z'));
      expect(calls.map((c) => c.deviceNo)).toEqual(['661200000011']);
      expect(await recorded(run.id)).toEqual([
        { device_id: 'dev-q1', device_no: '661200000011', status: 'CLEARED', unknown: null, detail: null },
        {
          device_id: 'dev-q2',
          device_no: '661200000012',
          status: null,
          unknown: 'LIMIT_REACHED',
          detail:
            'not asked: this run reached its limit of 1 clear-card calls (RECONCILE_CLEAR_CARD_CHECKS_MAX)',
        },
        {
          device_id: 'dev-q4',
          device_no: null,
          status: null,
          unknown: 'NO_DEVICE_NUMBER',
          detail: 'the authority number (机器编号) of this device is not known',
        },
      ]);
      await finishRun(run.id);

      // after the deadline dev-q3 (nothing reported) is asked too; calls are spaced by the minimum interval
      calls.length = 0;
      const later = await runningRun();
      await service(reader, { maxChecks: 10, minIntervalMs: 150 }).record(later, AFTER);
      expect(calls.map((c) => c.deviceNo)).toEqual(['661200000011', '661200000012', '661200000013']);
      for (let i = 1; i < calls.length; i++)
        expect(calls[i].at - calls[i - 1].at).toBeGreaterThanOrEqual(140);
      expect((await recorded(later.id)).map((r) => r.device_id)).toEqual([
        'dev-q1',
        'dev-q2',
        'dev-q3',
        'dev-q4',
      ]);
      await finishRun(later.id);
    });

    it('records an authority failure as AUTHORITY_UNAVAILABLE, and writes nothing for a worker that lost the run', async () => {
      const down: ClearCardReader = {
        clearCardStatus: async () => {
          throw new ExternalCallError('authority-clear-card', 'not_sent', 'BREAKER_OPEN', 'breaker open');
        },
      };
      const run = await runningRun();
      await service(down).record(run, AFTER);
      expect((await recorded(run.id)).filter((r) => r.device_no)).toEqual([
        {
          device_id: 'dev-q1',
          device_no: '661200000011',
          status: null,
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
        },
        {
          device_id: 'dev-q2',
          device_no: '661200000012',
          status: null,
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
        },
        {
          device_id: 'dev-q3',
          device_no: '661200000013',
          status: null,
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
        },
      ]);
      await finishRun(run.id);

      const lost = await runningRun();
      const error = await service({ clearCardStatus: async (_t, no) => status(no, 'CLEARED') })
        .record({ ...lost, workerId: 'w-other' }, AFTER)
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('RUN_LEASE_LOST');
      expect(await recorded(lost.id)).toEqual([]);
      await finishRun(lost.id);
    });
  });

  describe('the comparison with the answers', () => {
    const save = async (runId: string, views: Parameters<ClearCardChecksRepository['save']>[2]) =>
      db.dataSource.transaction((m) =>
        new ClearCardChecksRepository(db.dataSource).save(m, runId, views, new Date('2026-11-20T01:59:00Z')),
      );

    beforeAll(async () => {
      await db.query('DELETE FROM findings');
      // dev-a cleared on 14 Nov (Shanghai), the authority has none; dev-b failed, the authority has it cleared;
      // dev-c cleared, the authority says FAILED; dev-d failed, the authority was unavailable; dev-e never cleared, no number;
      // dev-f cleared on both sides.
      await seed.clearCard('dev-a', PERIOD, 'succeeded', '2026-11-14T01:00:00Z');
      await seed.clearCard('dev-b', PERIOD, 'failed', '2026-11-05T01:00:00Z', 'CARD_IO');
      await seed.clearCard('dev-c', PERIOD, 'succeeded', '2026-11-05T01:00:00Z');
      await seed.clearCard('dev-d', PERIOD, 'failed', '2026-11-05T01:00:00Z', 'CARD_IO');
      await seed.report('dev-e', PERIOD, 'DIGITAL_GENERAL', 0, '0.00', '0.00');
      await seed.clearCard('dev-f', PERIOD, 'succeeded', '2026-11-05T01:00:00Z');
    });

    it('DEVICE_ONLY opens CLEAR_CARD_OVERDUE after the deadline, with the authority in the evidence and the sentence', async () => {
      const run = await db.newRun(PERIOD);
      await save(run, [
        {
          deviceId: 'dev-a',
          deviceNo: '661200000021',
          authority: status('661200000021', 'NOT_CLEARED'),
          agreement: 'DEVICE_ONLY',
        },
      ]);
      const result = await db.compare(run, PERIOD, AFTER);
      expect(result.discrepancies).toMatchObject({ CLEAR_CARD_OVERDUE: 4, CLEAR_CARD_FAILED: 2 });
      const [overdue] = await findings('dev-a');
      expect(overdue).toMatchObject({ type: 'CLEAR_CARD_OVERDUE', state: 'open' });
      expect(overdue.explanation).toBe(
        '开票设备 dev-a（分支机构 sz，机器编号 661200000021）于11月14日报告已完成2026年10月的清卡，但税局没有该期的清卡记录，且申报截止日2026年11月16日已过；除非重新清卡，设备将锁死。',
      );
      expect(overdue.evidence).toMatchObject({
        lastStatus: 'succeeded',
        deviceClearedAt: expect.stringMatching(/^2026-11-14T/),
        authority: {
          deviceNo: '661200000021',
          status: 'NOT_CLEARED',
          clearedAt: null,
          agreement: 'DEVICE_ONLY',
          checkedAt: expect.any(String),
        },
      });
      // without an answer, the device's own report decides as before: no finding for a device that says it cleared
      expect(await open('dev-c')).toEqual([]);
      expect(await open('dev-f')).toEqual([]);
    });

    it('DEVICE_ONLY with the authority saying FAILED opens CLEAR_CARD_FAILED before the deadline', async () => {
      const run = await db.newRun(PERIOD);
      await save(run, [
        {
          deviceId: 'dev-c',
          deviceNo: '661200000023',
          authority: status('661200000023', 'FAILED', {
            errorCode: 'E_UNUPLOADED',
            errorMessage: '汇总未上传',
          }),
          agreement: 'DEVICE_ONLY',
        },
      ]);
      await db.compare(run, PERIOD, new Date('2026-11-10T02:00:00Z'), true);
      const [failed] = await findings('dev-c');
      expect(failed).toMatchObject({
        type: 'CLEAR_CARD_FAILED',
        state: 'open',
        evidence: { authority: { status: 'FAILED', errorCode: 'E_UNUPLOADED' } },
      });
      expect(failed.explanation).toBe(
        '开票设备 dev-c（分支机构 sz，机器编号 661200000023）于11月5日报告已完成2026年10月的清卡，但税局显示清卡失败（E_UNUPLOADED：汇总未上传）；须在截止日2026年11月16日前重新清卡，否则设备将锁死。',
      );
    });

    it('AUTHORITY_ONLY raises nothing and resolves the open findings; unknown answers leave the device as it was, saying why', async () => {
      const first = await db.newRun(PERIOD);
      await db.compare(first, PERIOD, AFTER);
      expect(await open('dev-b')).toEqual(['CLEAR_CARD_FAILED', 'CLEAR_CARD_OVERDUE']);
      const before = { d: await findings('dev-d'), e: await findings('dev-e') };

      const run = await db.newRun(PERIOD);
      await save(run, [
        {
          deviceId: 'dev-b',
          deviceNo: '661200000022',
          authority: status('661200000022', 'CLEARED', { clearedAt: '2026-11-06T02:00:00Z' }),
          agreement: 'AUTHORITY_ONLY',
        },
        {
          deviceId: 'dev-d',
          deviceNo: '661200000024',
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
        },
        {
          deviceId: 'dev-e',
          deviceNo: null,
          unknown: 'NO_DEVICE_NUMBER',
          detail: 'the authority number (机器编号) of this device is not known',
        },
        {
          deviceId: 'dev-f',
          deviceNo: '661200000026',
          authority: status('661200000026', 'CLEARED'),
          agreement: 'agree',
        },
      ]);
      const result = await db.compare(run, PERIOD, AFTER);
      expect(await open('dev-b')).toEqual([]);
      expect((await findings('dev-b')).filter((f) => f.type !== 'REPORT_MISSING').map((f) => f.state)).toEqual(['resolved', 'resolved']);
      expect(await open('dev-f')).toEqual([]);
      // unavailable / no number: the same findings and sentences as without the cross-check, the reason in the evidence
      // (the sentence now names the 机器编号 the check asked with)
      const d = await findings('dev-d');
      expect(d.map((f) => [f.type, f.state, f.explanation])).toEqual(
        before.d.map((f) => [f.type, f.state, f.explanation.replace('（分支机构 sz）', '（分支机构 sz，机器编号 661200000024）')]),
      );
      for (const f of d.filter((x) => x.type !== 'REPORT_MISSING'))
        expect(f.evidence.authority).toEqual({
          deviceNo: '661200000024',
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
          checkedAt: expect.any(String),
        });
      const e = await findings('dev-e');
      expect(e.map((f) => [f.type, f.state, f.explanation])).toEqual(
        before.e.map((f) => [f.type, f.state, f.explanation]),
      );
      expect(e[0].evidence.authority).toMatchObject({ deviceNo: null, unknown: 'NO_DEVICE_NUMBER' });
      expect(result.discrepancies).toMatchObject({ CLEAR_CARD_OVERDUE: 2, CLEAR_CARD_FAILED: 1 });
    });

    it('keeps a DEVICE_ONLY finding through an outage on the last answer given after the device report, saying so', async () => {
      // dev-a's DEVICE_ONLY answer (20 Nov, after its report of 14 Nov) came from the first run of this block; the runs
      // since did not ask about it, so its own report decided and the finding resolved
      expect(await open('dev-a')).toEqual([]);
      const firstAnswer = await db.query<{ run_id: string }>(
        `SELECT run_id FROM run_clear_card_checks WHERE device_id = 'dev-a' AND status = 'NOT_CLEARED'`,
      );
      const run = await db.newRun(PERIOD);
      await save(run, [
        {
          deviceId: 'dev-a',
          deviceNo: '661200000021',
          unknown: 'AUTHORITY_UNAVAILABLE',
          detail: 'BREAKER_OPEN (breaker open)',
        },
      ]);
      await db.compare(run, PERIOD, AFTER);
      const [overdue] = await findings('dev-a');
      expect(overdue).toMatchObject({ type: 'CLEAR_CARD_OVERDUE', state: 'open' });
      expect(overdue.explanation).toBe(
        '开票设备 dev-a（分支机构 sz，机器编号 661200000021）于11月14日报告已完成2026年10月的清卡（税局最近一次答复在11月20日，本次无法查询），但税局没有该期的清卡记录，且申报截止日2026年11月16日已过；除非重新清卡，设备将锁死。',
      );
      expect(overdue.evidence.authority).toMatchObject({
        status: 'NOT_CLEARED',
        agreement: 'DEVICE_ONLY',
        carriedFromRun: firstAnswer[0].run_id,
        unknownNow: 'AUTHORITY_UNAVAILABLE',
        detailNow: 'BREAKER_OPEN (breaker open)',
      });
      // a device whose number is gone carries nothing: its own report decides again
      const next = await db.newRun(PERIOD);
      await save(next, [
        {
          deviceId: 'dev-a',
          deviceNo: null,
          unknown: 'NO_DEVICE_NUMBER',
          detail: 'the authority number (机器编号) of this device is not known',
        },
      ]);
      await db.compare(next, PERIOD, AFTER);
      expect(await open('dev-a')).toEqual([]);
    });

    it("prunes the answers of all but the scope's latest two runs, except each device's newest answer", async () => {
      const repository = new ClearCardChecksRepository(db.dataSource);
      const MINE = ['dev-a', 'dev-b', 'dev-c', 'dev-d', 'dev-e', 'dev-f'];
      const answered = async () =>
        (
          await db.query<{ device_id: string; n: number }>(
            `SELECT device_id, COUNT(*)::int AS n FROM run_clear_card_checks WHERE status IS NOT NULL AND device_id = ANY($1) GROUP BY device_id ORDER BY device_id`,
            [MINE],
          )
        ).map((r) => `${r.device_id}:${r.n}`);
      expect(await answered()).toEqual(['dev-a:1', 'dev-b:1', 'dev-c:1', 'dev-f:1']);
      // two newer runs answer only about dev-f: every older row goes, but the newest answer of dev-a, dev-b and dev-c stays
      for (const minutes of [1, 2]) {
        const run = await db.newRun(PERIOD);
        await db.query(
          `UPDATE reconcile_runs SET created_at = now() + $2 * interval '1 minute' WHERE id = $1`,
          [run, minutes],
        );
        await db.dataSource.transaction((m) =>
          repository.save(
            m,
            run,
            [
              {
                deviceId: 'dev-f',
                deviceNo: '661200000026',
                authority: status('661200000026', 'CLEARED'),
                agreement: 'agree',
              },
            ],
            new Date(`2026-11-21T0${minutes}:00:00Z`),
          ),
        );
      }
      await repository.prune(TAX_NO, PERIOD, 2);
      expect(await answered()).toEqual(['dev-a:1', 'dev-b:1', 'dev-c:1', 'dev-f:2']);
      expect(
        await db.query(
          `SELECT COUNT(*)::int AS n FROM run_clear_card_checks WHERE status IS NULL AND device_id = ANY($1)`,
          [MINE],
        ),
      ).toEqual([{ n: 0 }]);
    });
  });
});
