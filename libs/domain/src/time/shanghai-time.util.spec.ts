import {
  addDays,
  daysBetween,
  daysInMonth,
  isLocalDate,
  isWeekend,
  parseLocalDate,
  weekdayOf,
} from './local-date.util';
import {
  daysUntil,
  shanghaiDateOf,
  shanghaiPartsOf,
  startOfShanghaiDay,
  tryParseInstant,
} from './shanghai-time.util';

describe('local dates', () => {
  it('validates real calendar days', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2025-04-31')).toBe(false);
    expect(isLocalDate('2025-4-1')).toBe(false);
    expect(isLocalDate(20250401)).toBe(false);
    expect(() => parseLocalDate('2025-13-01')).toThrow(
      expect.objectContaining({ code: 'LOCAL_DATE_FORMAT' }),
    );
  });

  it('knows month lengths, weekdays and day arithmetic', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(weekdayOf('2025-02-15')).toBe(6); // Saturday
    expect(weekdayOf('2025-10-27')).toBe(1); // Monday
    expect(weekdayOf('1969-12-31')).toBe(3); // before the epoch too
    expect(isWeekend('2025-03-15')).toBe(true);
    expect(isWeekend('2025-03-17')).toBe(false);
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-01-01', '2025-12-31')).toBe(364);
    expect(daysBetween('2025-02-20', '2025-02-15')).toBe(-5);
  });
});

describe('Asia/Shanghai (UTC+8, no DST)', () => {
  it('maps instants to Shanghai dates and parts', () => {
    expect(shanghaiDateOf(new Date('2025-03-14T16:00:00Z'))).toBe('2025-03-15');
    expect(shanghaiDateOf(new Date('2025-03-14T15:59:59Z'))).toBe('2025-03-14');
    expect(shanghaiPartsOf(new Date('2025-07-01T00:00:00Z'))).toEqual({
      year: 2025,
      month: 7,
      day: 1,
      hour: 8,
      minute: 0,
    });
    expect(() => shanghaiDateOf(new Date('nope'))).toThrow(TypeError);
  });

  it('finds the start of a Shanghai day', () => {
    expect(startOfShanghaiDay('2025-02-20').toISOString()).toBe('2025-02-19T16:00:00.000Z');
  });

  it('counts days until a date from the Shanghai "today"', () => {
    const now = new Date('2025-02-14T17:00:00Z'); // 01:00 on the 15th in Shanghai
    expect(daysUntil('2025-02-20', now)).toBe(5);
    expect(daysUntil('2025-02-15', now)).toBe(0);
    expect(daysUntil('2025-02-10', now)).toBe(-5);
  });

  it('parses ISO-8601 instants with an offset, strictly', () => {
    expect(tryParseInstant('2025-03-12T10:15:00+08:00')?.toISOString()).toBe('2025-03-12T02:15:00.000Z');
    expect(tryParseInstant('2025-03-12T10:15:00.123456-05:30')?.toISOString()).toBe(
      '2025-03-12T15:45:00.123Z',
    );
    expect(tryParseInstant('2025-03-12T02:15:00Z')?.toISOString()).toBe('2025-03-12T02:15:00.000Z');
    expect(tryParseInstant('2024-02-29T23:59+08:00')?.toISOString()).toBe('2024-02-29T15:59:00.000Z');
    const date = new Date('2025-01-01T00:00:00Z');
    expect(tryParseInstant(date)).toBe(date);
  });

  it.each([
    '2025-02-30T00:00:00Z',
    '2025-03-12T24:00:00Z',
    '2025-03-12T10:60:00Z',
    '2025-03-12T10:15:00',
    '2025-03-12T10:15:00+0800',
    '2025-03-12 10:15:00+08:00',
    '12/03/2025',
    'not a date',
    '',
    42,
    new Date('x'),
  ])('rejects %p', (value) => {
    expect(tryParseInstant(value)).toBeNull();
  });
});
