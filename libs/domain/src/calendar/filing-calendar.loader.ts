import { readFileSync } from 'node:fs';
import { DomainException } from '../common/domain.exception';
import shippedCalendarJson from './filing-calendar.json';
import { FilingCalendar, parseFilingCalendar } from './filing-calendar.model';

/** Environment variable naming a JSON file that replaces the shipped calendar (same shape). */
export const FILING_CALENDAR_PATH_ENV = 'FILING_CALENDAR_PATH';

let shipped: FilingCalendar | undefined;
let cachedDefault: FilingCalendar | undefined;

/** The calendar shipped with the code (copied into dist by tsc because it is imported here). */
export function shippedFilingCalendar(): FilingCalendar {
  shipped ??= parseFilingCalendar(shippedCalendarJson, 'shipped filing-calendar.json');
  return shipped;
}

/**
 * Reads the calendar named by FILING_CALENDAR_PATH, or the shipped one when the variable is unset. This is the only
 * place in the domain that touches the file system; a bad file fails loudly at start-up rather than skewing deadlines.
 */
export function loadFilingCalendar(
  env: Readonly<Record<string, string | undefined>> = process.env,
): FilingCalendar {
  const path = env[FILING_CALENDAR_PATH_ENV];
  if (!path) return shippedFilingCalendar();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DomainException(
      'FILING_CALENDAR_UNREADABLE',
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DomainException('FILING_CALENDAR_INVALID', `${path} is not JSON: ${(error as Error).message}`);
  }
  return parseFilingCalendar(raw, path);
}

/** The calendar used when a caller passes none: loaded once per process from the environment. */
export function defaultFilingCalendar(): FilingCalendar {
  cachedDefault ??= loadFilingCalendar();
  return cachedDefault;
}
