import { addDays, daysBetween, formatLocalDate, isWeekend, LocalDate } from '../time/local-date.util';
import { nextPeriod, parsePeriod, Period, periodOf, periodStart, previousPeriod } from '../time/period.value';
import { daysUntil, startOfShanghaiDay } from '../time/shanghai-time.util';
import { defaultFilingCalendar } from './filing-calendar.loader';
import { FilingCalendar } from './filing-calendar.model';

export type DeadlineSource = 'published' | 'computed';

export interface FilingDeadline {
  /** The period being reported. */
  period: Period;
  /** The month in which the return is due (the next one). */
  filingMonth: Period;
  /** Last filing day, Asia/Shanghai. */
  deadline: LocalDate;
  /** First instant after the deadline day (00:00 +08:00 the day after): filing from then on is late. */
  closesAt: Date;
  source: DeadlineSource;
  /** What the date rests on: a published entry, the year's holiday calendar, or weekends alone (year not in the data). */
  basis: 'published' | 'holidays' | 'weekends-only';
}

/** A holiday block extends the deadline when at least this many of its days fall on the 1st-15th. */
export const MIN_HOLIDAY_DAYS_FOR_EXTENSION = 3;

interface CalendarIndex {
  holidayDays: Set<LocalDate>;
  blocks: { from: LocalDate; to: LocalDate }[];
  workingWeekends: Set<LocalDate>;
  deadlines: Map<Period, LocalDate>;
  years: Set<number>;
}

const indexes = new WeakMap<FilingCalendar, CalendarIndex>();

/**
 * The filing deadline of a period: the 15th of the next month, or the published date when the calendar has one.
 * Otherwise computed like the State Taxation Administration does (Tax Collection Rules art. 109, as applied in its
 * yearly notices): the days of a holiday block that fall on the 1st-15th, when 3 or more, move the deadline that many
 * working days past the 15th; failing that, a 15th that is a rest day moves to the next working day.
 */
export function filingDeadline(
  period: Period,
  calendar: FilingCalendar = defaultFilingCalendar(),
): FilingDeadline {
  const filingMonth = nextPeriod(period);
  const index = indexOf(calendar);
  const published = index.deadlines.get(filingMonth);
  const { year } = parsePeriod(filingMonth);
  const deadline = published ?? computeDeadline(filingMonth, index);
  return {
    period,
    filingMonth,
    deadline,
    closesAt: startOfShanghaiDay(addDays(deadline, 1)),
    source: published ? 'published' : 'computed',
    basis: published ? 'published' : index.years.has(year) ? 'holidays' : 'weekends-only',
  };
}

/** The filing window of a period: 抄报 and 清卡 are done from the 1st of the next month until the deadline closes. */
export interface FilingWindow {
  period: Period;
  /** 00:00 Asia/Shanghai on the 1st of the filing month. */
  opensAt: Date;
  /** The deadline's `closesAt`: from then on the device locks. */
  closesAt: Date;
  deadline: LocalDate;
}

export function filingWindow(
  period: Period,
  calendar: FilingCalendar = defaultFilingCalendar(),
): FilingWindow {
  const due = filingDeadline(period, calendar);
  return { period, opensAt: periodStart(due.filingMonth), closesAt: due.closesAt, deadline: due.deadline };
}

/**
 * The period being filed at `now`: the previous month's, from the 1st until its deadline closes; null from then until
 * the month ends (nothing is due for filing).
 */
export function periodInFiling(now: Date, calendar: FilingCalendar = defaultFilingCalendar()): Period | null {
  const candidate = previousPeriod(periodOf(now));
  return now.getTime() < filingDeadline(candidate, calendar).closesAt.getTime() ? candidate : null;
}

/** Whether the return for `period` is late at `now`. */
export function isOverdue(
  period: Period,
  now: Date,
  calendar: FilingCalendar = defaultFilingCalendar(),
): boolean {
  return now.getTime() >= filingDeadline(period, calendar).closesAt.getTime();
}

/** Calendar days from today (Asia/Shanghai) to the deadline: 0 on the last day, negative when overdue. */
export function daysUntilDeadline(
  period: Period,
  now: Date,
  calendar: FilingCalendar = defaultFilingCalendar(),
): number {
  return daysUntil(filingDeadline(period, calendar).deadline, now);
}

/** A working day: a weekday outside the holidays, or a weekend day declared a working day (调休). */
export function isWorkingDay(date: LocalDate, calendar: FilingCalendar = defaultFilingCalendar()): boolean {
  const index = indexOf(calendar);
  if (index.workingWeekends.has(date)) return true;
  return !index.holidayDays.has(date) && !isWeekend(date);
}

function computeDeadline(filingMonth: Period, index: CalendarIndex): LocalDate {
  const { year, month } = parsePeriod(filingMonth);
  const first = formatLocalDate(year, month, 1);
  const fifteenth = formatLocalDate(year, month, 15);
  let extension = 0;
  for (const block of index.blocks) {
    const from = block.from > first ? block.from : first;
    const to = block.to < fifteenth ? block.to : fifteenth;
    const days = from <= to ? daysBetween(from, to) + 1 : 0;
    if (days >= MIN_HOLIDAY_DAYS_FOR_EXTENSION) extension += days;
  }
  const working = (date: LocalDate) =>
    index.workingWeekends.has(date) || (!index.holidayDays.has(date) && !isWeekend(date));
  let deadline = fifteenth;
  if (extension === 0) {
    while (!working(deadline)) deadline = addDays(deadline, 1);
    return deadline;
  }
  while (extension > 0) {
    deadline = addDays(deadline, 1);
    if (working(deadline)) extension -= 1;
  }
  return deadline;
}

function indexOf(calendar: FilingCalendar): CalendarIndex {
  let index = indexes.get(calendar);
  if (!index) {
    index = buildIndex(calendar);
    indexes.set(calendar, index);
  }
  return index;
}

function buildIndex(calendar: FilingCalendar): CalendarIndex {
  const index: CalendarIndex = {
    holidayDays: new Set(),
    blocks: [],
    workingWeekends: new Set(),
    deadlines: new Map(),
    years: new Set(),
  };
  const seenBlocks = new Set<string>();
  for (const [year, data] of Object.entries(calendar.years)) {
    index.years.add(Number(year));
    for (const block of data.holidays) {
      if (!seenBlocks.has(`${block.from}/${block.to}`)) index.blocks.push({ from: block.from, to: block.to });
      seenBlocks.add(`${block.from}/${block.to}`);
      for (let day = block.from; day <= block.to; day = addDays(day, 1)) index.holidayDays.add(day);
    }
    data.workingWeekends.forEach((day) => index.workingWeekends.add(day));
    Object.entries(data.filingDeadlines).forEach(([month, day]) => index.deadlines.set(month, day));
  }
  return index;
}
