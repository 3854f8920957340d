import { withDeviceCompliance } from './device-compliance.join';
import { cellsOf, EXPORT_COLUMNS, headersOf } from './export-columns';

const compliance = {
  deviceId: 'dev-1',
  deviceNo: '499000000001',
  lastClearCard: { period: '2026-10', status: 'succeeded', at: '2026-11-05T03:00:00.000Z' },
  clearedForPeriod: false,
  lockDate: '2026-11-17',
  offlineSince: null,
  offlineAmount: '1234.50',
  offlineAmountLimit: '100000.00',
  offlineHoursLimit: 168,
  lastReport: { period: '2026-10', at: '2026-11-03T02:00:00.000Z' },
};

describe('devices export: the registry joined with reconcile’s compliance', () => {
  it('asks reconcile once per page for exactly its devices and joins by id (null when unseen)', async () => {
    const calls: string[] = [];
    const rows = await withDeviceCompliance(
      [
        { deviceId: 'dev-1', name: '前台', status: 'active' },
        { deviceId: 'dev-2', name: '仓库', status: 'disabled' },
      ],
      async <T>(service: string, path: string) => {
        calls.push(`${service} ${path}`);
        return { items: [compliance] } as T;
      },
      '2026-10',
    );
    expect(calls).toEqual(['reconcile devices?deviceIds=dev-1%2Cdev-2&limit=2&period=2026-10']);
    expect(rows[0]).toMatchObject({ name: '前台', compliance });
    expect(rows[1]).toMatchObject({ name: '仓库', compliance: null });
  });

  it('writes the compliance columns as text in the reader’s language', () => {
    const columns = EXPORT_COLUMNS.devices;
    const row = {
      deviceId: 'dev-1',
      name: '前台',
      taxNo: '0123',
      branchId: 'SZ01',
      deviceNo: null,
      status: 'active',
      compliance,
    };
    const en = Object.fromEntries(
      headersOf(columns, 'en').map((h, i) => [h, cellsOf(columns, row, 'en')[i]]),
    );
    expect(en).toMatchObject({
      'Device number (机器编号)': '499000000001',
      'Last clear-card (清卡)': '2026-10',
      'Clear-card status': 'succeeded',
      'Cleared for the period due': 'no',
      'Lock date': '2026-11-17',
      'Offline amount': '1234.50',
      'Offline amount limit': '100000.00',
      'Offline since': '',
      'Last summary upload (抄报)': '2026-10',
      Taxpayer: '0123',
    });
    expect(cellsOf(columns, row, 'zh')[headersOf(columns, 'zh').indexOf('申报期已清卡')]).toBe('否');
    expect(cellsOf(columns, { deviceId: 'dev-2', compliance: null }, 'en')[8]).toBe('');
  });
});
