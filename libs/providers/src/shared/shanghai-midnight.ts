import { shanghaiDateOf, startOfShanghaiDay } from '@lib/domain';

const DAY_MS = 86_400_000;

/** Milliseconds from `now` until the next 00:00 in Asia/Shanghai (never 0: at midnight itself, a full day). */
export function msUntilNextShanghaiMidnight(now: Date): number {
  const startOfToday = startOfShanghaiDay(shanghaiDateOf(now)).getTime();
  return startOfToday + DAY_MS - now.getTime();
}
