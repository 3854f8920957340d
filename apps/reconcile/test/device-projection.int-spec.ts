import { DeviceProjectionRepository } from '../src/projections/device-projection.repository';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';

jest.setTimeout(60_000);

const origin = { deviceId: 'dev-9', branchId: 'sz', taxNo: TAX_NO, receivedAt: '2026-11-19T00:00:00Z' };

/** Device events arrive at least once and possibly late: the newest reading wins, history facts are kept. */
describe('device projection (real PostgreSQL)', () => {
  const db = new ReconcileDb();
  const repo = new DeviceProjectionRepository();
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it('keeps the newest monitor reading and the earliest first sighting', async () => {
    const reading = (at: string, lockDate: string) => ({ ...origin, at, lockDate, offlineSince: null, offlineAmount: '1.00', offlineAmountLimit: '100.00', offlineHoursLimit: 72 });
    await db.dataSource.transaction((m) => repo.recordMonitor(m, uuid(1), reading('2026-11-19T00:00:00Z', '2027-01-31')));
    await db.dataSource.transaction((m) => repo.recordMonitor(m, uuid(2), reading('2026-09-01T00:00:00Z', '2026-10-31')));
    expect(await db.query(`SELECT to_char(lock_date, 'YYYY-MM-DD') AS lock, at, first_seen_at FROM device_monitors`)).toEqual([
      { lock: '2027-01-31', at: new Date('2026-11-19T00:00:00Z'), first_seen_at: new Date('2026-09-01T00:00:00Z') },
    ]);
  });

  it('remembers that a clear-card succeeded even when a failed attempt comes later', async () => {
    const attempt = (status: 'succeeded' | 'failed', at: string) => ({ ...origin, period: '2026-10', status, at, errorCode: status === 'failed' ? 'CARD_IO' : null, errorMessage: null });
    await db.dataSource.transaction((m) => repo.recordClearCard(m, uuid(3), attempt('succeeded', '2026-11-02T00:00:00Z')));
    await db.dataSource.transaction((m) => repo.recordClearCard(m, uuid(4), attempt('failed', '2026-11-03T00:00:00Z')));
    await db.dataSource.transaction((m) => repo.recordClearCard(m, uuid(5), attempt('failed', '2026-11-01T00:00:00Z')));
    expect(await db.query('SELECT status, succeeded_at, at FROM device_clear_cards')).toEqual([
      { status: 'failed', succeeded_at: new Date('2026-11-02T00:00:00Z'), at: new Date('2026-11-03T00:00:00Z') },
    ]);
  });

  it('replaces a period’s 抄报 totals with the newest report only', async () => {
    const report = (count: number) => ({ ...origin, period: '2026-10', totals: [{ type: 'DIGITAL_GENERAL' as const, count, amount: '10', taxAmount: '1.3' }] });
    await db.dataSource.transaction((m) => repo.recordReport(m, uuid(6), report(2), new Date('2026-11-02T00:00:00Z')));
    await db.dataSource.transaction((m) => repo.recordReport(m, uuid(7), report(1), new Date('2026-11-01T00:00:00Z')));
    expect(await db.query('SELECT invoice_count, amount::text, tax_amount::text FROM device_reports')).toEqual([{ invoice_count: 2, amount: '10.00', tax_amount: '1.30' }]);
  });
});
