import {
  addMonths,
  comparePeriods,
  formatPeriod,
  isPeriod,
  nextPeriod,
  parsePeriod,
  periodEnd,
  periodOf,
  periodStart,
  previousPeriod,
} from './period.value';

describe('periods (Asia/Shanghai months)', () => {
  it('parses and formats YYYY-MM', () => {
    expect(parsePeriod('2025-03')).toEqual({ year: 2025, month: 3 });
    expect(formatPeriod(2025, 3)).toBe('2025-03');
    expect(formatPeriod(999, 12)).toBe('0999-12');
  });

  it.each(['2025-3', '2025-13', '2025-00', '25-03', '2025/03', '2025-03-01', '', ' 2025-03'])(
    'rejects %j',
    (value) => {
      expect(isPeriod(value)).toBe(false);
      expect(() => parsePeriod(value)).toThrow(expect.objectContaining({ code: 'PERIOD_FORMAT' }));
    },
  );

  it('rejects impossible parts when formatting', () => {
    expect(() => formatPeriod(2025, 13)).toThrow(expect.objectContaining({ code: 'PERIOD_FORMAT' }));
    expect(() => formatPeriod(2025.5, 1)).toThrow();
  });

  it('uses Shanghai time, not the process time zone (tests run in UTC)', () => {
    expect(process.env.TZ).toBe('UTC');
    expect(periodOf(new Date('2025-01-31T15:59:59.999Z'))).toBe('2025-01');
    expect(periodOf(new Date('2025-01-31T16:00:00.000Z'))).toBe('2025-02');
    expect(periodOf(new Date('2025-02-01T00:30:00+08:00'))).toBe('2025-02');
    expect(periodOf(new Date('2024-12-31T23:59:00-05:00'))).toBe('2025-01');
  });

  it('steps across year boundaries', () => {
    expect(nextPeriod('2024-12')).toBe('2025-01');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(addMonths('2025-03', 22)).toBe('2027-01');
    expect(addMonths('2025-03', -15)).toBe('2023-12');
  });

  it('gives the UTC instants bounding a Shanghai month', () => {
    expect(periodStart('2025-03').toISOString()).toBe('2025-02-28T16:00:00.000Z');
    expect(periodEnd('2025-03').toISOString()).toBe('2025-03-31T16:00:00.000Z');
    expect(periodEnd('2024-12').toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });

  it('compares periods', () => {
    expect(comparePeriods('2025-01', '2024-12')).toBe(1);
    expect(comparePeriods('2025-01', '2025-01')).toBe(0);
    expect(comparePeriods('2024-09', '2024-10')).toBe(-1);
    expect(() => comparePeriods('2024-9', '2024-10')).toThrow();
  });
});
