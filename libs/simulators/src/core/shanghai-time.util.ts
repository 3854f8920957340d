/** Asia/Shanghai calendar helpers (UTC+8, no DST since 1991), independent of the process TZ. */
const OFFSET_MS = 8 * 3600 * 1000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

function shifted(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString();
}

/** YYYY-MM */
export function periodOf(ms: number): string {
  return shifted(ms).slice(0, 7);
}

/** YYYYMMDD */
export function dayOf(ms: number): string {
  return shifted(ms).slice(0, 10).replace(/-/g, '');
}

/** 2024-05-01T08:00:00+08:00 */
export function isoShanghai(ms: number): string {
  return `${shifted(ms).slice(0, 19)}+08:00`;
}

/** yyyy-MM-dd HH:mm:ss (Nuonuo style) */
export function nuonuoDateTime(ms: number): string {
  return shifted(ms).slice(0, 19).replace('T', ' ');
}

/** Parses `yyyy-MM-dd HH:mm:ss` as Asia/Shanghai time. */
export function parseNuonuoDateTime(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return null;
  return parseIsoWithOffset(`${text.replace(' ', 'T')}+08:00`);
}

/** Parses ISO-8601 that carries an offset (or Z); null otherwise. */
export function parseIsoWithOffset(text: string): number | null {
  if (!ISO_WITH_OFFSET.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** [start, end) of a Shanghai month in epoch ms. */
export function periodRange(period: string): { startMs: number; endMs: number } {
  const [year, month] = period.split('-').map(Number);
  const startMs = Date.UTC(year, month - 1, 1) - OFFSET_MS;
  const endMs = Date.UTC(year, month, 1) - OFFSET_MS;
  return { startMs, endMs };
}

export function previousPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
