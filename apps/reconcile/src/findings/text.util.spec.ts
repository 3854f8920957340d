import { localDate, plural, shortDate, wholeDays, yuan } from './text.util';

describe('explanation text helpers', () => {
  const now = new Date('2026-11-20T02:00:00Z');

  it('formats money from decimal strings without floats', () => {
    expect(yuan('1234567.5')).toBe('1,234,567.50');
    expect(yuan('-5000.00')).toBe('-5,000.00');
    expect(yuan('0.01')).toBe('0.01');
    expect(yuan('99999999999999.99')).toBe('99,999,999,999,999.99');
  });

  it('writes dates in Asia/Shanghai', () => {
    expect(shortDate('2026-11-02T16:30:00Z', now)).toBe('3 Nov');
    expect(shortDate('2025-12-31T15:00:00Z', now)).toBe('31 Dec 2025');
    expect(localDate('2026-11-17')).toBe('17 Nov 2026');
  });

  it('counts whole days and plurals', () => {
    expect(wholeDays('2026-11-18T02:00:01Z', now)).toBe(1);
    expect(wholeDays('2026-11-21T00:00:00Z', now)).toBe(0);
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(2, 'day')).toBe('2 days');
  });
});
