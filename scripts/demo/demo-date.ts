// Which instant the demo plays: today by default, or another date (`--today YYYY-MM-DD`, played at 10:00 in
// Asia/Shanghai, a business hour) or an exact instant (`--at <ISO-8601 with offset>`). The whole system then runs on
// clocks moved by the same offset, so the month it plays is that date's month.
import { isLocalDate, startOfShanghaiDay, tryParseInstant } from '@lib/domain';

export interface DemoDate {
  /** The instant the system's clocks read when the demo starts. */
  at: Date;
  /** CLOCK_OFFSET_MS for every process: 0 when playing today. */
  offsetMs: number;
  /** How the demo says what it plays. */
  label: string;
}

const PLAY_HOUR_MS = 10 * 3_600_000;

export class DemoArgumentError extends Error {}

export function demoDateFrom(argv: string[], realNow: Date = new Date()): DemoDate {
  const today = valueOf(argv, '--today');
  const at = valueOf(argv, '--at');
  if (today !== undefined && at !== undefined) throw new DemoArgumentError('give --today or --at, not both');
  let instant = realNow;
  if (today !== undefined) {
    if (!isLocalDate(today))
      throw new DemoArgumentError(`--today takes a date as YYYY-MM-DD (got '${today}')`);
    instant = new Date(startOfShanghaiDay(today).getTime() + PLAY_HOUR_MS);
  } else if (at !== undefined) {
    const parsed = tryParseInstant(at);
    if (!parsed) throw new DemoArgumentError(`--at takes an ISO-8601 instant with its offset (got '${at}')`);
    instant = parsed;
  }
  const offsetMs = instant.getTime() - realNow.getTime();
  const shown = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(instant);
  return {
    at: instant,
    offsetMs: today === undefined && at === undefined ? 0 : offsetMs,
    label: `${shown} Asia/Shanghai${today === undefined && at === undefined ? ' (today)' : ''}`,
  };
}

function valueOf(argv: string[], flag: string): string | undefined {
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  const arg = argv[i];
  if (arg.includes('=')) return arg.slice(flag.length + 1);
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new DemoArgumentError(`${flag} needs a value`);
  return next;
}
