import { DomainException } from '../common/domain.exception';
import { isLocalDate, isWeekend, LocalDate } from '../time/local-date.util';
import { isPeriod, Period } from '../time/period.value';

export interface HolidayBlock {
  name: string;
  from: LocalDate;
  to: LocalDate;
}

export interface FilingCalendarYear {
  holidays: HolidayBlock[];
  workingWeekends: LocalDate[];
  /** Key: the month in which filing is due; value: the last filing day, as published. */
  filingDeadlines: Record<Period, LocalDate>;
  sources?: Record<string, string>;
}

export interface FilingCalendar {
  years: Record<string, FilingCalendarYear>;
}

/** Validates calendar data (shipped or supplied by an operator); throws FILING_CALENDAR_INVALID naming the bad entry. */
export function parseFilingCalendar(raw: unknown, source = 'filing calendar'): FilingCalendar {
  const fail = (path: string, problem: string): never => {
    throw new DomainException('FILING_CALENDAR_INVALID', `${source}: ${path} ${problem}`);
  };
  const root = asRecord(raw) ?? fail('(root)', 'must be an object');
  const years = asRecord(root.years) ?? fail('years', 'must be an object keyed by year');
  const result: FilingCalendar = { years: {} };
  for (const [year, value] of Object.entries(years)) {
    const at = `years.${year}`;
    if (!/^\d{4}$/.test(year)) fail(at, 'key must be a four-digit year');
    const entry = asRecord(value) ?? fail(at, 'must be an object');
    result.years[year] = {
      holidays: arrayAt(entry.holidays, `${at}.holidays`, fail).map((h, i) =>
        holiday(h, `${at}.holidays[${i}]`, fail),
      ),
      workingWeekends: arrayAt(entry.workingWeekends, `${at}.workingWeekends`, fail).map((d, i) =>
        workingWeekend(d, `${at}.workingWeekends[${i}]`, fail),
      ),
      filingDeadlines: deadlines(entry.filingDeadlines, year, `${at}.filingDeadlines`, fail),
      sources: stringRecord(entry.sources),
    };
  }
  return result;
}

type Fail = (path: string, problem: string) => never;

function holiday(raw: unknown, at: string, fail: Fail): HolidayBlock {
  const h = asRecord(raw) ?? fail(at, 'must be {name, from, to}');
  if (typeof h.name !== 'string' || h.name === '') fail(`${at}.name`, 'must be a non-empty string');
  if (!isLocalDate(h.from)) fail(`${at}.from`, 'must be a YYYY-MM-DD date');
  if (!isLocalDate(h.to)) fail(`${at}.to`, 'must be a YYYY-MM-DD date');
  const block = { name: h.name as string, from: h.from as string, to: h.to as string };
  if (block.from > block.to) fail(at, 'ends before it starts');
  return block;
}

function workingWeekend(raw: unknown, at: string, fail: Fail): LocalDate {
  if (!isLocalDate(raw)) fail(at, 'must be a YYYY-MM-DD date');
  if (!isWeekend(raw as string)) fail(at, `(${String(raw)}) is not a Saturday or Sunday`);
  return raw as string;
}

function deadlines(raw: unknown, year: string, at: string, fail: Fail): Record<Period, LocalDate> {
  if (raw === undefined) return {};
  const record = asRecord(raw) ?? fail(at, 'must be an object keyed by YYYY-MM');
  const result: Record<Period, LocalDate> = {};
  for (const [month, date] of Object.entries(record)) {
    if (!isPeriod(month) || !month.startsWith(`${year}-`))
      fail(`${at}.${month}`, `key must be a month of ${year}`);
    if (!isLocalDate(date) || !date.startsWith(`${month}-`))
      fail(`${at}.${month}`, 'must be a date in that month');
    if ((date as string).slice(8) < '15') fail(`${at}.${month}`, 'cannot be before the 15th');
    result[month] = date as string;
  }
  return result;
}

function arrayAt(raw: unknown, at: string, fail: Fail): unknown[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : fail(at, 'must be an array');
}

function stringRecord(raw: unknown): Record<string, string> | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  return Object.fromEntries(
    Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function asRecord(raw: unknown): Record<string, unknown> | null {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : null;
}
