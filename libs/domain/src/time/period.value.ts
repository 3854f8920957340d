import { DomainException } from '../common/domain.exception';
import { formatLocalDate, pad2 } from './local-date.util';
import { shanghaiPartsOf, startOfShanghaiDay } from './shanghai-time.util';

/** A tax period (one calendar month), `YYYY-MM`. Periods are always Asia/Shanghai months. */
export type Period = string;

export interface PeriodParts {
  year: number;
  month: number;
}

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function tryParsePeriod(value: unknown): PeriodParts | null {
  if (typeof value !== 'string') return null;
  const match = PERIOD_PATTERN.exec(value);
  return match ? { year: Number(match[1]), month: Number(match[2]) } : null;
}

export function parsePeriod(value: string): PeriodParts {
  const parts = tryParsePeriod(value);
  if (!parts) throw new DomainException('PERIOD_FORMAT', `"${value}" is not a period of the form YYYY-MM`);
  return parts;
}

export function isPeriod(value: unknown): value is Period {
  return tryParsePeriod(value) !== null;
}

export function formatPeriod(year: number, month: number): Period {
  if (
    !Number.isInteger(year) ||
    year < 0 ||
    year > 9999 ||
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12
  ) {
    throw new DomainException('PERIOD_FORMAT', `${year}-${month} is not a valid period`);
  }
  return `${String(year).padStart(4, '0')}-${pad2(month)}`;
}

/** The period an instant belongs to, in Asia/Shanghai (2025-01-31T16:00Z is already 2025-02). */
export function periodOf(instant: Date): Period {
  const { year, month } = shanghaiPartsOf(instant);
  return formatPeriod(year, month);
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + months;
  return formatPeriod(Math.floor(index / 12), (index % 12) + 1);
}

export function nextPeriod(period: Period): Period {
  return addMonths(period, 1);
}

export function previousPeriod(period: Period): Period {
  return addMonths(period, -1);
}

/** The first instant of the period (1st, 00:00 +08:00). */
export function periodStart(period: Period): Date {
  const { year, month } = parsePeriod(period);
  return startOfShanghaiDay(formatLocalDate(year, month, 1));
}

/** The first instant after the period (exclusive end). */
export function periodEnd(period: Period): Date {
  return periodStart(nextPeriod(period));
}

export function comparePeriods(a: Period, b: Period): number {
  parsePeriod(a);
  parsePeriod(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
