import { daysBetween, daysInMonth, formatLocalDate, LocalDate, parseLocalDate } from './local-date.util';

/**
 * China has used UTC+8 all year since 1992 (no daylight saving), so Asia/Shanghai is a fixed offset. Computing it by
 * hand keeps results independent of the process TZ and of the ICU data the runtime happens to ship.
 */
export const SHANGHAI_UTC_OFFSET_MINUTES = 480;
const OFFSET_MS = SHANGHAI_UTC_OFFSET_MINUTES * 60_000;

export interface ShanghaiParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function shanghaiPartsOf(instant: Date): ShanghaiParts {
  assertValidInstant(instant);
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** The calendar date an instant falls on in Asia/Shanghai. */
export function shanghaiDateOf(instant: Date): LocalDate {
  const { year, month, day } = shanghaiPartsOf(instant);
  return formatLocalDate(year, month, day);
}

/** The instant at which a Shanghai calendar day starts (00:00 +08:00). */
export function startOfShanghaiDay(date: LocalDate): Date {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day) - OFFSET_MS);
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an ISO-8601 timestamp that carries its offset (`Z` or `±hh:mm`), strictly: no rollover of impossible dates
 * (2025-02-30), no zone-less local times, no other formats. Returns null when it is not one.
 */
export function tryParseInstant(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const m = ISO_INSTANT.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Number(m[9] ?? 0) <= 23 &&
    Number(m[10] ?? 0) <= 59;
  if (!valid) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new TypeError('expected a valid Date');
  }
}

/** Calendar days from today (in Asia/Shanghai) to `target`: 0 on the day itself, negative once it has passed. */
export function daysUntil(target: LocalDate, now: Date): number {
  return daysBetween(shanghaiDateOf(now), target);
}
