import type { Actor } from '../api/types';

const TIME_ZONE = 'Asia/Shanghai';

/** Times are shown in Beijing time, where the filing calendar lives. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Today's calendar date in Asia/Shanghai as [year, month (1-12), day]. */
export function shanghaiToday(now: Date = new Date()): [number, number, number] {
  const text = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = text.split('-').map(Number);
  return [y, m, d];
}

/** The next filing deadline (the 15th; holiday moves are not known to the console) and the days left to it. */
export function filingDeadline(now: Date = new Date()): { date: string; daysLeft: number } {
  const [y, m, d] = shanghaiToday(now);
  let year = y;
  let month = m;
  if (d > 15) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  const daysLeft = Math.round((Date.UTC(year, month - 1, 15) - Date.UTC(y, m - 1, d)) / 86_400_000);
  return { date: `${year}-${String(month).padStart(2, '0')}-15`, daysLeft };
}

export function actorName(actor: Actor | string | null | undefined): string {
  if (!actor) return '—';
  if (typeof actor === 'string') return actor;
  return actor.name || actor.subject || actor.kind || '—';
}

export function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
