// The instants the month scenario and the product's period and deadline logic are swept over: the days a calendar
// bug hides in. Each says what the product must think of it, written out by hand from the filing calendar
// (libs/domain/src/calendar/filing-calendar.json): the period being invoiced, the latest closed period (its filing
// deadline passed), and the deadline of the period still open for filing.
export interface SweepDate {
  /** The instant played, Asia/Shanghai. */
  at: string;
  why: string;
  period: string;
  latestClosed: string;
  /** Filing deadline of the period before `period` (the one clerks are filing for now), YYYY-MM-DD. */
  openDeadline: string;
}

export const SWEEP_DATES: SweepDate[] = [
  {
    at: '2026-12-01T09:00:00+08:00',
    why: 'the 1st: a period opens, the last one is not filed yet',
    period: '2026-12',
    latestClosed: '2026-10',
    openDeadline: '2026-12-15',
  },
  {
    at: '2026-12-14T10:00:00+08:00',
    why: 'the day before a plain filing deadline',
    period: '2026-12',
    latestClosed: '2026-10',
    openDeadline: '2026-12-15',
  },
  {
    at: '2026-12-16T10:00:00+08:00',
    why: 'the day after a plain filing deadline',
    period: '2026-12',
    latestClosed: '2026-11',
    openDeadline: '2026-12-15',
  },
  {
    at: '2026-10-25T10:00:00+08:00',
    why: 'the day before a deadline moved by National Day (15th -> 26th)',
    period: '2026-10',
    latestClosed: '2026-08',
    openDeadline: '2026-10-26',
  },
  {
    at: '2026-10-27T10:00:00+08:00',
    why: 'the day after the National Day deadline',
    period: '2026-10',
    latestClosed: '2026-09',
    openDeadline: '2026-10-26',
  },
  {
    at: '2026-02-23T10:00:00+08:00',
    why: 'the day before a deadline moved by the Spring Festival (15th -> 24th), itself a holiday',
    period: '2026-02',
    latestClosed: '2025-12',
    openDeadline: '2026-02-24',
  },
  {
    at: '2026-02-25T10:00:00+08:00',
    why: 'the day after the Spring Festival deadline',
    period: '2026-02',
    latestClosed: '2026-01',
    openDeadline: '2026-02-24',
  },
  {
    at: '2026-11-30T22:00:00+08:00',
    why: 'the last evening of a 30-day month',
    period: '2026-11',
    latestClosed: '2026-10',
    openDeadline: '2026-11-16',
  },
  {
    at: '2026-08-31T20:00:00+08:00',
    why: 'the last evening of a 31-day month',
    period: '2026-08',
    latestClosed: '2026-07',
    openDeadline: '2026-08-17',
  },
  {
    at: '2028-02-28T10:00:00+08:00',
    why: 'Feb 28 of a leap year',
    period: '2028-02',
    latestClosed: '2028-01',
    openDeadline: '2028-02-15',
  },
  {
    at: '2028-02-29T10:00:00+08:00',
    why: 'Feb 29',
    period: '2028-02',
    latestClosed: '2028-01',
    openDeadline: '2028-02-15',
  },
  {
    at: '2026-12-31T23:30:00+08:00',
    why: "New Year's Eve, half an hour before the year turns",
    period: '2026-12',
    latestClosed: '2026-11',
    openDeadline: '2026-12-15',
  },
  {
    at: '2027-01-01T00:40:00+08:00',
    why: "New Year's Day, 40 minutes into a period and a year",
    period: '2027-01',
    latestClosed: '2026-11',
    openDeadline: '2027-01-15',
  },
];
