import { QuietHours } from '../routing/routing.model';
import { nextShanghaiTime, parseHhMm, shanghaiMinuteOfDay } from './shanghai-time';

/** Whether `at` falls in the recipient's quiet window (Asia/Shanghai; the end minute is outside it). */
export function inQuietHours(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet) return false;
  const start = parseHhMm(quiet.start);
  const end = parseHhMm(quiet.end);
  if (start === end) return false;
  const now = shanghaiMinuteOfDay(at);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * When a message may go: now, or at the end of the quiet window. Critical alerts ignore quiet hours
 * (a device about to lock cannot wait for the morning).
 */
export function quietHoursRelease(quiet: QuietHours | null, at: Date, critical: boolean): Date {
  if (critical || !quiet || !inQuietHours(quiet, at)) return at;
  return nextShanghaiTime(at, parseHhMm(quiet.end));
}
