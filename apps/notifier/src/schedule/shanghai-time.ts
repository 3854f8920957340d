/** China has one time zone and no daylight saving: Asia/Shanghai is always UTC+8. */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Minutes since midnight in Asia/Shanghai. */
export function shanghaiMinuteOfDay(at: Date): number {
  return Math.floor(((((at.getTime() + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** The instant of the next Shanghai wall-clock `minuteOfDay` strictly after `at` (or at it). */
export function nextShanghaiTime(at: Date, minuteOfDay: number): Date {
  const local = at.getTime() + OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  let candidate = midnight + minuteOfDay * 60_000;
  if (candidate < local) candidate += DAY_MS;
  return new Date(candidate - OFFSET_MS);
}

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, for message text. */
export function formatShanghai(at: Date): string {
  const iso = new Date(at.getTime() + OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function parseHhMm(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}
