import { inQuietHours, quietHoursRelease } from './quiet-hours';

const night = { start: '22:00', end: '08:00' };
const lunch = { start: '12:00', end: '13:30' };

describe('quiet hours (Asia/Shanghai, tests run in UTC)', () => {
  it('knows a window that crosses midnight', () => {
    expect(inQuietHours(night, new Date('2026-03-10T13:59:00Z'))).toBe(false); // 21:59
    expect(inQuietHours(night, new Date('2026-03-10T14:00:00Z'))).toBe(true); // 22:00
    expect(inQuietHours(night, new Date('2026-03-10T19:00:00Z'))).toBe(true); // 03:00
    expect(inQuietHours(night, new Date('2026-03-11T00:00:00Z'))).toBe(false); // 08:00
    expect(inQuietHours(null, new Date('2026-03-10T19:00:00Z'))).toBe(false);
  });

  it('knows a window within the day', () => {
    expect(inQuietHours(lunch, new Date('2026-03-10T04:30:00Z'))).toBe(true); // 12:30
    expect(inQuietHours(lunch, new Date('2026-03-10T05:30:00Z'))).toBe(false); // 13:30
  });

  it('holds a message until the window ends, except a critical one', () => {
    const lateEvening = new Date('2026-03-10T15:30:00Z'); // 23:30
    expect(quietHoursRelease(night, lateEvening, false).toISOString()).toBe('2026-03-11T00:00:00.000Z');
    const earlyMorning = new Date('2026-03-10T20:00:00Z'); // 04:00 on the 11th
    expect(quietHoursRelease(night, earlyMorning, false).toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(quietHoursRelease(night, lateEvening, true)).toBe(lateEvening);
    const noon = new Date('2026-03-10T02:00:00Z'); // 10:00
    expect(quietHoursRelease(night, noon, false)).toBe(noon);
  });
});
