import { randomUUID } from 'node:crypto';
import { buildEnvelope, EventDataInput, explainFinding, FindingType } from '@lib/contracts';
import { DeviceProjectionRepository } from '../src/projections/device-projection.repository';
import { ProjectDeviceEventUseCase } from '../src/use-cases/project-device-event/project-device-event.use-case';
import { ReconcileDb } from './support/reconcile-db';

jest.setTimeout(60_000);

const TAX_NO = '91440300MA5NAMED4D';
const PERIOD = '2026-10';
// after the 2026-10 filing deadline (16 Nov 2026)
const NOW = new Date('2026-11-20T02:00:00Z');

type Row = { type: FindingType; subject: string; explanation: string; evidence: Record<string, unknown> };

/**
 * Device events carry the device's registered name and 机器编号; reconcile projects both (device_numbers) and every
 * device finding's evidence carries them flat, so its sentence names the device as a finance clerk knows it.
 */
describe('device findings name the device (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const project = new ProjectDeviceEventUseCase(new DeviceProjectionRepository());

  const clearCard = (deviceId: string, at: string, origin: Partial<EventDataInput<'device.clear-card'>>) =>
    db.dataSource.transaction((m) =>
      project.execute(
        m,
        buildEnvelope(
          'device.clear-card',
          {
            period: PERIOD,
            status: 'failed',
            at,
            errorCode: 'CARD_IO',
            errorMessage: '读卡器忙',
            deviceId,
            branchId: 'SZ01',
            taxNo: TAX_NO,
            receivedAt: at,
            ...origin,
          },
          { source: 'test', occurredAt: new Date(at), id: randomUUID() },
        ),
      ),
    );
  const findings = (deviceId: string) =>
    db.query<Row>(
      `SELECT type, subject, explanation, evidence FROM findings WHERE tax_no = $1 AND device_id = $2 ORDER BY type`,
      [TAX_NO, deviceId],
    );

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it('carries the name and number of the event into the evidence, and the Chinese sentence names the device', async () => {
    await clearCard('dev_named', '2026-11-05T01:00:00Z', {
      deviceNo: '661234567890',
      deviceName: '前台1号盘',
    });
    // dev_old's events come from an older gateway: neither field, so it is named by its id
    await clearCard('dev_old', '2026-11-05T01:00:00Z', {});
    await db.compare(await db.newRun(PERIOD, TAX_NO), PERIOD, NOW, true, TAX_NO);

    const named = await findings('dev_named');
    // past the deadline without a 抄报 for the period: REPORT_MISSING too, named the same way
    expect(named.map((f) => f.type)).toEqual(['CLEAR_CARD_FAILED', 'CLEAR_CARD_OVERDUE', 'REPORT_MISSING']);
    for (const f of named) {
      expect(f.evidence).toMatchObject({
        deviceId: 'dev_named',
        deviceName: '前台1号盘',
        deviceNo: '661234567890',
      });
      expect(f.explanation).toContain('开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）');
      expect(f.explanation).not.toContain('dev_named');
    }
    expect(named[1].explanation).toBe(
      '开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）尚未完成2026年10月的清卡，申报截止日2026年11月16日已过（最近一次清卡失败：CARD_IO）。',
    );
    // an English reader gets the same facts from the evidence
    expect(explainFinding({ type: named[1].type, evidence: named[1].evidence, now: NOW }, 'en')).toContain(
      'Device "前台1号盘" (branch SZ01, device no. 661234567890) has not cleared its card',
    );

    const old = await findings('dev_old');
    expect(old[0].evidence).toMatchObject({ deviceName: null, deviceNo: null });
    expect(old[0].explanation).toContain('开票设备 dev_old（分支机构 SZ01）');
  });

  it('keeps the name an older event does not carry, and follows a renamed device', async () => {
    await clearCard('dev_named', '2026-11-06T01:00:00Z', {});
    expect(
      await db.query(`SELECT device_name, device_no FROM device_numbers WHERE device_id = 'dev_named'`),
    ).toEqual([{ device_name: '前台1号盘', device_no: '661234567890' }]);
    await clearCard('dev_named', '2026-11-07T01:00:00Z', {
      deviceNo: '661234567890',
      deviceName: '财务室金税盘',
    });
    // a replayed older event does not bring the old name back
    await clearCard('dev_named', '2026-11-05T02:00:00Z', {
      deviceNo: '661234567890',
      deviceName: '前台1号盘',
    });
    await db.compare(await db.newRun(PERIOD, TAX_NO), PERIOD, NOW, true, TAX_NO);
    for (const f of await findings('dev_named')) {
      expect(f.evidence.deviceName).toBe('财务室金税盘');
      expect(f.explanation).toContain('开票设备“财务室金税盘”');
    }
  });
});
