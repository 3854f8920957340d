// The demo's month at small scale, every service in its own process on real Kafka and PostgreSQL, the sandbox standing
// in for the authority, Baiwang, Nuonuo, SMTP and SMS. Exact counts per finding type, remediation, notifications, and
// every check the demo makes (checkMonth), so that the two cannot disagree.
import type { Admin } from 'kafkajs';
import { testKafka, uniqueName } from '@lib/testing';
import { E2E_SCALE } from '../system/month-plan';
import { checkMonth, countByType } from '../system/month-report';
import { dropMonth, runMonth, type MonthRun } from '../system/month-run';

jest.setTimeout(600_000);

describe('a month of a small enterprise, end to end', () => {
  let admin: Admin;
  let run: MonthRun;

  beforeAll(async () => {
    admin = testKafka('month-e2e').admin();
    await admin.connect();
    run = await runMonth({ scope: uniqueName('month'), scale: E2E_SCALE, admin });
  });

  afterAll(async () => {
    await dropMonth(run?.system, admin);
    await admin?.disconnect();
  });

  it('finds exactly the planted problems, one finding each', () => {
    expect(countByType(run.seen.findings)).toEqual(run.plan.expectedFindings);
  });

  it('explains each finding in a sentence a clerk understands', () => {
    const one = (type: string) => run.seen.findings.find((f) => f.type === type)!.explanation;
    expect(one('CLEAR_CARD_OVERDUE')).toMatch(/clear/i);
    expect(one('MISSING_IN_LEDGER')).toMatch(/authority/i);
    for (const f of run.seen.findings) expect(f.explanation.length).toBeGreaterThan(20);
  });

  it('re-uploads what the authority lost and resolves those findings on the next run', () => {
    const lost = run.seen.findings.filter((f) => f.type === 'MISSING_IN_AUTHORITY');
    expect(lost.map((f) => [f.state, f.remediationAttempts])).toEqual(lost.map(() => ['resolved', 1]));
  });

  it('passes every check the demo makes, through the outage', () => {
    const checks = checkMonth(run.plan, run.play, run.seen);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks).toHaveLength(MONTH_CHECKS);
  });

  it('tells the branch accountant of an overdue clear-card by email and SMS, once', async () => {
    const { plan, system } = run;
    const accountant = plan.enterprise.recipients.find((r) =>
      r.scopes.some((s) => s.branchId === plan.roles.overdue.branch.branchId),
    )!;
    const mail = (await system.sandbox.mail()).filter((m) => m.to.includes(accountant.email));
    const overdue = mail.filter((m) => (m.subject ?? '').includes('清卡逾期'));
    expect(overdue).toHaveLength(1);
    const sms = (await system.sandbox.sms()).filter((m) => m.phoneNumber === accountant.mobile);
    expect(sms.length).toBeGreaterThanOrEqual(1);
  });
});

/** The demo's 25 checks: one per finding type planted (9), then 16 about delivery, remediation and notification. */
const MONTH_CHECKS = 25;
