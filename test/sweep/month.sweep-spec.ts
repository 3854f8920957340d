// The demo's month at small scale, end to end, as of every date of the sweep (test/system/sweep-dates.ts): the 1st,
// both sides of plain and holiday-moved filing deadlines, month ends, a leap day, the turn of the year. Every service
// runs in its own process on real Kafka and PostgreSQL, on clocks moved to that date (CLOCK_OFFSET_MS), the sandbox
// standing in for the authority, Baiwang, Nuonuo, SMTP and SMS. On each date: exactly the planted findings and none
// more, every check the demo makes (checkMonth, so the two cannot disagree), remediation, explanations, alerts.
//
// Its own jest project, run after the main suites beside the browser suite (scripts/test.sh): dates run a few at a time
// (MONTH_SWEEP_CONCURRENCY, default 3: most of a month is waiting, about 30 s of CPU in 80 s, but each date starts five
// processes, so the first dates start a few seconds apart). PostgreSQL's default 100 connections are the bound: a date's
// system took 34 with the services' default pools of 10, and a fourth date at a time had its gateway answer 503
// STORE_UNAVAILABLE in CI. With the tests' pools of 4 (test/setup-env.js) a date takes 16 at most, so three dates and
// the browser suite's system (about 75 in all) leave room; four beside the browser suite (about 95) did not, on a
// machine where other suites also ran.
// MONTH_SWEEP_DATES=2026-12-01,2027-01-01 picks dates by their day.
import { INVOICE_TYPES } from '@lib/domain';
import type { Admin } from 'kafkajs';
import { testKafka, uniqueName } from '@lib/testing';
import { E2E_SCALE, type FindingCounts } from '../system/month-plan';
import { type Check, checkMonth, countByType } from '../system/month-report';
import { dropMonth, type MonthRun, runMonth } from '../system/month-run';
import { SWEEP_DATES, type SweepDate } from '../system/sweep-dates';

jest.setTimeout(3_600_000);

/** Besides one check per finding type planted, the demo's checks about delivery, device operations, remediation and notification. */
const OTHER_CHECKS = 29;

interface DateResult {
  periods: { period: string; pastPeriod: string };
  expected: FindingCounts;
  found: FindingCounts;
  checks: Check[];
  explanations: Record<string, string>;
  lost: [string, number][];
  overdueAlerts: { emails: number; sms: number };
  seconds: number;
  timings: Record<string, number>;
}

const picked = (process.env.MONTH_SWEEP_DATES ?? '').split(',').filter(Boolean);
const dates = picked.length ? SWEEP_DATES.filter((d) => picked.some((p) => d.at.startsWith(p))) : SWEEP_DATES;
const concurrency = Math.max(1, Number(process.env.MONTH_SWEEP_CONCURRENCY ?? 3));
/** Between the first dates' starts: one system's start is most of two cores for about this long. */
const STAGGER_MS = 8_000;

describe('a month of a small enterprise, end to end, as of every date of the sweep', () => {
  let admin: Admin;
  const results = new Map<string, DateResult | Error>();
  const resultOf = (date: SweepDate): DateResult => {
    const result = results.get(date.at);
    if (result instanceof Error || !result) throw result ?? new Error(`${date.at} was not played`);
    return result;
  };

  beforeAll(async () => {
    admin = testKafka('month-sweep').admin();
    await admin.connect();
    const queue = [...dates];
    const worker = async (lane: number) => {
      await new Promise((r) => setTimeout(r, lane * STAGGER_MS));
      for (let date = queue.shift(); date; date = queue.shift())
        results.set(date.at, await playDate(date, admin));
    };
    await Promise.all(Array.from({ length: concurrency }, (_, lane) => worker(lane)));
    const lines = [...results].map(([at, r]) =>
      r instanceof Error ? `${at}: ${r.message}` : `${at}: ${r.seconds} s ${JSON.stringify(r.timings)}`,
    );
    console.log(`month sweep, ${dates.length} dates, ${concurrency} at a time:\n${lines.join('\n')}`);
  });

  afterAll(() => admin?.disconnect());

  it('sweeps at least the twelve kinds of date the calendar hides bugs in', () => {
    expect(picked.length > 0 || dates.length >= 12).toBe(true);
  });

  describe.each(dates)('as of $at ($why)', (date) => {
    it('plays the period of that date and its latest closed period', () => {
      expect(resultOf(date).periods).toEqual({ period: date.period, pastPeriod: date.latestClosed });
    });

    it('finds exactly the planted problems, one finding each', () => {
      expect(resultOf(date).found).toEqual(resultOf(date).expected);
    });

    it('passes every check the demo makes, through the outage', () => {
      const { checks } = resultOf(date);
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(checks).toHaveLength(Object.keys(resultOf(date).expected).length + OTHER_CHECKS);
    });

    it('explains each finding in a sentence a clerk understands', () => {
      const { explanations } = resultOf(date);
      // Stored in Simplified Chinese, the product's default (readers of another language get it rendered anew).
      expect(explanations.CLEAR_CARD_OVERDUE).toMatch(/清卡/);
      expect(explanations.MISSING_IN_LEDGER).toMatch(/税局/);
      for (const sentence of Object.values(explanations)) {
        expect(sentence.length).toBeGreaterThan(20);
        // Invoice types by their names (增值税电子专用发票), never by our codes.
        for (const code of INVOICE_TYPES) expect(sentence).not.toContain(code);
      }
    });

    it('re-uploads what the authority lost and resolves those findings on the next run', () => {
      const { lost } = resultOf(date);
      expect(lost).toHaveLength(E2E_SCALE.neverVisible);
      expect(lost).toEqual(lost.map(() => ['resolved', 1]));
    });

    it('tells the branch accountant of an overdue clear-card by email and SMS, once', () => {
      const { overdueAlerts } = resultOf(date);
      expect(overdueAlerts.emails).toBe(1);
      expect(overdueAlerts.sms).toBeGreaterThanOrEqual(1);
    });
  });
});

async function playDate(date: SweepDate, admin: Admin): Promise<DateResult | Error> {
  const started = Date.now();
  try {
    const run = await runMonth({
      scope: uniqueName('month'),
      scale: E2E_SCALE,
      admin,
      at: new Date(date.at),
    });
    try {
      return { ...(await summarise(run)), seconds: Math.round((Date.now() - started) / 1000) };
    } finally {
      await dropMonth(run.system, admin);
    }
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** What the assertions need, read before the system is dropped. */
async function summarise(run: MonthRun): Promise<Omit<DateResult, 'seconds'>> {
  const { plan, play, seen, system } = run;
  const accountant = plan.enterprise.recipients.find((r) =>
    r.scopes.some((s) => s.branchId === plan.roles.overdue.branch.branchId),
  )!;
  const mail = (await system.sandbox.mail()).filter((m) => m.to.includes(accountant.email));
  const sms = (await system.sandbox.sms()).filter((m) => m.phoneNumber === accountant.mobile);
  const explanations: Record<string, string> = {};
  for (const f of seen.findings) explanations[f.type] ??= f.explanation;
  const short = seen.findings.filter((f) => f.explanation.length <= 20);
  for (const f of short) explanations[`${f.type} ${f.id}`] = f.explanation;
  return {
    periods: { period: plan.period, pastPeriod: plan.pastPeriod },
    expected: plan.expectedFindings,
    found: countByType(seen.findings),
    checks: checkMonth(plan, play, seen),
    explanations,
    lost: seen.findings
      .filter((f) => f.type === 'MISSING_IN_AUTHORITY')
      .map((f) => [f.state, f.remediationAttempts]),
    overdueAlerts: {
      emails: mail.filter((m) => (m.subject ?? '').includes('清卡逾期')).length,
      sms: sms.length,
    },
    timings: play.timings,
  };
}
