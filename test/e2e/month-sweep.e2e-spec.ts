// The whole system plays the month as of every date of the sweep (test/system/sweep-dates.ts): the 1st, both sides of
// plain and holiday-moved filing deadlines, month ends, a leap day, the turn of the year. Every process runs on clocks
// moved to that date (CLOCK_OFFSET_MS). Each date must give exactly the planted findings, none more, and pass every
// check the demo makes. Dates run a few at a time (MONTH_SWEEP_CONCURRENCY, default 3: most of a month is waiting);
// MONTH_SWEEP_DATES=2026-12-01,2027-01-01 picks dates by their day.
import type { Admin } from 'kafkajs';
import { testKafka, uniqueName } from '@lib/testing';
import { E2E_SCALE, type FindingCounts } from '../system/month-plan';
import { type Check, checkMonth, countByType } from '../system/month-report';
import { dropMonth, runMonth } from '../system/month-run';
import { SWEEP_DATES, type SweepDate } from '../system/sweep-dates';

jest.setTimeout(3_600_000);

interface DateResult {
  period: string;
  pastPeriod: string;
  expected: FindingCounts;
  found: FindingCounts;
  failedChecks: Check[];
  seconds: number;
}

const picked = (process.env.MONTH_SWEEP_DATES ?? '').split(',').filter(Boolean);
const dates = picked.length ? SWEEP_DATES.filter((d) => picked.some((p) => d.at.startsWith(p))) : SWEEP_DATES;
const concurrency = Math.max(1, Number(process.env.MONTH_SWEEP_CONCURRENCY ?? 3));

describe('the month, as of every date of the sweep', () => {
  let admin: Admin;
  const results = new Map<string, DateResult | Error>();

  beforeAll(async () => {
    admin = testKafka('month-sweep').admin();
    await admin.connect();
    const queue = [...dates];
    const worker = async () => {
      for (let date = queue.shift(); date; date = queue.shift())
        results.set(date.at, await playDate(date, admin));
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = [...results.values()].map((r) => (r instanceof Error ? NaN : r.seconds));
    console.log(
      `month sweep: ${dates.length} dates, ${concurrency} at a time; seconds per date: ${seconds.join(', ')}`,
    );
  });

  afterAll(() => admin?.disconnect());

  it('sweeps at least the twelve kinds of date the calendar hides bugs in', () => {
    expect(picked.length > 0 || dates.length >= 12).toBe(true);
  });

  it.each(dates)('as of $at ($why): exactly the planted findings, every check holds', (date) => {
    const result = results.get(date.at);
    if (result instanceof Error) throw result;
    expect({ period: result!.period, pastPeriod: result!.pastPeriod }).toEqual({
      period: date.period,
      pastPeriod: date.latestClosed,
    });
    expect(result!.found).toEqual(result!.expected);
    expect(result!.failedChecks).toEqual([]);
  });
});

async function playDate(date: SweepDate, admin: Admin): Promise<DateResult | Error> {
  const started = Date.now();
  try {
    const run = await runMonth({
      scope: uniqueName('sweep'),
      scale: E2E_SCALE,
      admin,
      at: new Date(date.at),
    });
    try {
      return {
        period: run.plan.period,
        pastPeriod: run.plan.pastPeriod,
        expected: run.plan.expectedFindings,
        found: countByType(run.seen.findings),
        failedChecks: checkMonth(run.plan, run.play, run.seen).filter((c) => !c.ok),
        seconds: Math.round((Date.now() - started) / 1000),
      };
    } finally {
      await dropMonth(run.system, admin);
    }
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
