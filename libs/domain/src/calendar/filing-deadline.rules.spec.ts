import { shippedFilingCalendar } from './filing-calendar.loader';
import { FilingCalendar, FilingCalendarYear, parseFilingCalendar } from './filing-calendar.model';
import {
  daysUntilDeadline,
  filingDeadline,
  filingWindow,
  isOverdue,
  isWorkingDay,
  periodInFiling,
} from './filing-deadline.rules';

/** The calendar with its published deadlines removed, to check that the computation alone reproduces them. */
function withoutPublished(calendar: FilingCalendar): FilingCalendar {
  const years = Object.fromEntries(
    Object.entries(calendar.years).map(([year, data]): [string, FilingCalendarYear] => [
      year,
      { ...data, filingDeadlines: {} },
    ]),
  );
  return { years };
}

const periodsOf = (year: number) =>
  Array.from({ length: 12 }, (_, i) =>
    i === 0 ? `${year - 1}-12` : `${year}-${String(i).padStart(2, '0')}`,
  );

/** Holiday arrangements of 2021 and 2022 (State Council notices), with the deadlines the STA published for them. */
const PAST_YEARS = parseFilingCalendar({
  years: {
    '2021': {
      holidays: [
        { name: '元旦', from: '2021-01-01', to: '2021-01-03' },
        { name: '春节', from: '2021-02-11', to: '2021-02-17' },
        { name: '清明节', from: '2021-04-03', to: '2021-04-05' },
        { name: '劳动节', from: '2021-05-01', to: '2021-05-05' },
        { name: '端午节', from: '2021-06-12', to: '2021-06-14' },
        { name: '中秋节', from: '2021-09-19', to: '2021-09-21' },
        { name: '国庆节', from: '2021-10-01', to: '2021-10-07' },
      ],
      workingWeekends: [
        '2021-02-07',
        '2021-02-20',
        '2021-04-25',
        '2021-05-08',
        '2021-09-18',
        '2021-09-26',
        '2021-10-09',
      ],
    },
    '2022': {
      holidays: [
        { name: '元旦', from: '2022-01-01', to: '2022-01-03' },
        { name: '春节', from: '2022-01-31', to: '2022-02-06' },
        { name: '清明节', from: '2022-04-03', to: '2022-04-05' },
        { name: '劳动节', from: '2022-04-30', to: '2022-05-04' },
        { name: '端午节', from: '2022-06-03', to: '2022-06-05' },
        { name: '中秋节', from: '2022-09-10', to: '2022-09-12' },
        { name: '国庆节', from: '2022-10-01', to: '2022-10-07' },
      ],
      workingWeekends: [
        '2022-01-29',
        '2022-01-30',
        '2022-04-02',
        '2022-04-24',
        '2022-05-07',
        '2022-10-08',
        '2022-10-09',
      ],
    },
  },
});

describe('filing deadlines', () => {
  const shipped = shippedFilingCalendar();

  it('returns the published deadline when the calendar has one', () => {
    expect(filingDeadline('2025-01', shipped)).toEqual({
      period: '2025-01',
      filingMonth: '2025-02',
      deadline: '2025-02-20',
      closesAt: new Date('2025-02-20T16:00:00.000Z'),
      source: 'published',
      basis: 'published',
    });
    expect(filingDeadline('2025-09', shipped).deadline).toBe('2025-10-27');
    expect(filingDeadline('2024-12', shipped).deadline).toBe('2025-01-15');
  });

  it.each([
    [
      2021,
      [
        '01-20',
        '02-23',
        '03-15',
        '04-20',
        '05-21',
        '06-18',
        '07-15',
        '08-16',
        '09-15',
        '10-26',
        '11-15',
        '12-15',
      ],
    ],
    [
      2022,
      [
        '01-19',
        '02-23',
        '03-15',
        '04-20',
        '05-19',
        '06-20',
        '07-15',
        '08-15',
        '09-20',
        '10-25',
        '11-15',
        '12-15',
      ],
    ],
  ])('reproduces every deadline the STA published for %i from the holidays alone', (year, expected) => {
    const computed = periodsOf(year).map((p) => filingDeadline(p, PAST_YEARS));
    expect(computed.map((d) => d.deadline)).toEqual(expected.map((md) => `${year}-${md}`));
    expect(computed.every((d) => d.source === 'computed' && d.basis === 'holidays')).toBe(true);
  });

  it.each([2024, 2025])('reproduces the shipped published deadlines of %i from its holidays', (year) => {
    const computed = withoutPublished(shipped);
    for (const period of periodsOf(year)) {
      expect(filingDeadline(period, computed).deadline).toBe(filingDeadline(period, shipped).deadline);
    }
  });

  it('computes 2026 from its holidays until published dates are added', () => {
    const deadlines = periodsOf(2026).map((p) => filingDeadline(p, shipped));
    expect(deadlines.map((d) => d.deadline.slice(5))).toEqual([
      '01-20', // 1-3 Jan holiday: three working days after the 15th
      '02-24', // the 15th opens the Spring Festival block (15-23): the day after it
      '03-16', // Sunday
      '04-20',
      '05-22',
      '06-15',
      '07-15',
      '08-17', // Saturday
      '09-15',
      '10-26',
      '11-16', // Sunday
      '12-15',
    ]);
    expect(deadlines.every((d) => d.source === 'computed' && d.basis === 'holidays')).toBe(true);
  });

  it('falls back to weekends alone for a year the calendar does not know', () => {
    expect(filingDeadline('2030-02', shipped)).toMatchObject({
      deadline: '2030-03-15',
      source: 'computed',
      basis: 'weekends-only',
    });
    expect(filingDeadline('2030-05', shipped).deadline).toBe('2030-06-17'); // Saturday the 15th
    expect(filingDeadline('2030-08', shipped).deadline).toBe('2030-09-16'); // Sunday the 15th
  });

  it('lets a supplied calendar override a published date', () => {
    const custom = parseFilingCalendar({
      years: { '2025': { filingDeadlines: { '2025-02': '2025-02-28' } } },
    });
    expect(filingDeadline('2025-01', custom)).toMatchObject({ deadline: '2025-02-28', source: 'published' });
  });

  it('knows working days, holidays and 调休 weekends', () => {
    expect(isWorkingDay('2025-02-08', shipped)).toBe(true); // Saturday made a working day
    expect(isWorkingDay('2025-10-08', shipped)).toBe(false); // Wednesday inside the National Day block
    expect(isWorkingDay('2025-02-15', shipped)).toBe(false);
    expect(isWorkingDay('2025-02-17', shipped)).toBe(true);
  });
});

describe('isOverdue / daysUntilDeadline', () => {
  const shipped = shippedFilingCalendar();

  it('is overdue from 00:00 Shanghai the day after the deadline', () => {
    expect(isOverdue('2025-01', new Date('2025-02-20T15:59:59.999Z'), shipped)).toBe(false);
    expect(isOverdue('2025-01', new Date('2025-02-20T16:00:00.000Z'), shipped)).toBe(true);
    expect(isOverdue('2025-01', new Date('2025-01-31T23:00:00Z'), shipped)).toBe(false);
  });

  it('counts calendar days in Shanghai', () => {
    expect(daysUntilDeadline('2025-09', new Date('2025-10-20T02:00:00Z'), shipped)).toBe(7);
    expect(daysUntilDeadline('2025-09', new Date('2025-10-27T15:00:00Z'), shipped)).toBe(0);
    expect(daysUntilDeadline('2025-09', new Date('2025-10-27T16:00:00Z'), shipped)).toBe(-1);
  });

  it('uses the default calendar when none is given', () => {
    expect(isOverdue('2024-01', new Date('2024-02-23T12:00:00+08:00'))).toBe(false);
    expect(isOverdue('2024-01', new Date('2024-02-24T00:00:00+08:00'))).toBe(true);
  });
});

describe('filing window', () => {
  const at = (iso: string) => new Date(iso);

  it('opens on the 1st of the next month and closes with the deadline, moved for holidays', () => {
    const window = filingWindow('2026-09');
    expect(window.opensAt.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(window.deadline).toBe('2026-10-26');
    expect(window.closesAt.toISOString()).toBe('2026-10-26T16:00:00.000Z');
  });

  it('names the period being filed from the 1st until the deadline closes, and none after', () => {
    expect(periodInFiling(at('2026-12-01T00:00:00+08:00'))).toBe('2026-11');
    expect(periodInFiling(at('2026-12-15T23:59:59+08:00'))).toBe('2026-11');
    expect(periodInFiling(at('2026-12-16T00:00:00+08:00'))).toBeNull();
    expect(periodInFiling(at('2026-11-30T23:59:59+08:00'))).toBeNull();
    expect(periodInFiling(at('2026-10-26T10:00:00+08:00'))).toBe('2026-09');
    expect(periodInFiling(at('2027-01-05T10:00:00+08:00'))).toBe('2026-12');
  });
});
