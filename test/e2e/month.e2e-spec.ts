// The demo's month at small scale, every service in its own process on real Kafka and PostgreSQL, the sandbox standing
// in for the authority, Baiwang, Nuonuo, SMTP and SMS. Exact counts per finding type, remediation, notifications.
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import {
  dropTestScope,
  REPO_ROOT,
  testDatabaseUrl,
  testKafka,
  testKafkaBrokers,
  uniqueName,
} from '@lib/testing';
import { E2E_SCALE, planMonth, type MonthPlan } from '../system/month-plan';
import { MonthPlayer, type PlayResult } from '../system/month-play';
import { checkMonth, countByType, observe, type Observed } from '../system/month-report';
import { SERVICES, SystemHarness } from '../system/system-harness';
import { scenarioEnv } from '../system/scenario-env';

jest.setTimeout(600_000);

describe('a month of a small enterprise, end to end', () => {
  const scope = uniqueName('month');
  let system: SystemHarness;
  let admin: Admin;
  let plan: MonthPlan;
  let play: PlayResult;
  let seen: Observed;

  beforeAll(async () => {
    admin = testKafka('month-e2e').admin();
    await admin.connect();
    system = await SystemHarness.start({
      runtime: 'ts',
      databaseUrl: testDatabaseUrl(),
      kafkaBrokers: testKafkaBrokers().join(','),
      scope,
      logDir: join(REPO_ROOT, '.cache', 'test-logs', scope),
      env: scenarioEnv({ reconcileLagMs: 5_000 }),
      logLevel: 'warn',
    });
    plan = planMonth(E2E_SCALE, new Date());
    play = await new MonthPlayer(system, plan, admin, undefined, {
      reconcileLagMs: 5_000,
      alertWaitMs: 12_000,
      settleTimeoutMs: 240_000,
    }).play();
    seen = await observe(system, plan);
  });

  afterAll(async () => {
    await system?.stop();
    if (process.env.KEEP_SYSTEM === '1') return console.log(`kept schemas and topics of ${scope}`);
    for (const service of SERVICES) await dropTestScope(admin, system.topicPrefix, system.schemaOf(service));
    await admin?.disconnect();
  });

  it('finds exactly the planted problems, one finding each', () => {
    expect(countByType(seen.findings)).toEqual(plan.expectedFindings);
  });

  it('explains each finding in a sentence a clerk understands', () => {
    const one = (type: string) => seen.findings.find((f) => f.type === type)!.explanation;
    expect(one('CLEAR_CARD_OVERDUE')).toMatch(/clear/i);
    expect(one('MISSING_IN_LEDGER')).toMatch(/authority/i);
    for (const f of seen.findings) expect(f.explanation.length).toBeGreaterThan(20);
  });

  it('re-uploads what the authority lost and resolves those findings on the next run', () => {
    const lost = seen.findings.filter((f) => f.type === 'MISSING_IN_AUTHORITY');
    expect(lost.map((f) => [f.state, f.remediationAttempts])).toEqual(lost.map(() => ['resolved', 1]));
  });

  it('keeps every delivery exactly once at every target, through the outage', () => {
    const failed = checkMonth(plan, play, seen).filter((c) => !c.ok);
    expect(failed).toEqual([]);
  });

  it('tells the branch accountant of an overdue clear-card by email and SMS, once', async () => {
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
