import { DomainException } from '../common/domain.exception';

/** A calendar date without a time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface LocalDateParts {
  year: number;
  month: number;
  day: number;
}

/** Parses a `YYYY-MM-DD` date and checks that the day exists (no 2025-02-30). */
export function tryParseLocalDate(value: unknown): LocalDateParts | null {
  if (typeof value !== 'string') return null;
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function parseLocalDate(value: string): LocalDateParts {
  const parts = tryParseLocalDate(value);
  if (!parts) throw new DomainException('LOCAL_DATE_FORMAT', `"${value}" is not a valid YYYY-MM-DD date`);
  return parts;
}

export function isLocalDate(value: unknown): value is LocalDate {
  return tryParseLocalDate(value) !== null;
}

export function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day number since 1970-01-01 (the date itself, no zone involved). */
export function epochDayOf(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function localDateOfEpochDay(epochDay: number): LocalDate {
  const d = new Date(epochDay * DAY_MS);
  return formatLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return localDateOfEpochDay(epochDayOf(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDayOf(to) - epochDayOf(from);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return (((epochDayOf(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
