import { AppError, ManualClock } from '@lib/common';
import { filingDeadline } from '@lib/domain';
import { AuthorityListChannel, AuthorityListPage } from '../src/pull/authority-list.port';
import { PullSettings } from '../src/pull/pull.service';
import { RunsRepository } from '../src/runs/runs.repository';
import { authorityRecord, FakeAuthorityChannel } from './support/fake-authority.channel';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { pullService, runUseCase } from './support/run-wiring';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const HOUR = 3_600_000;

/** A listing channel whose call quota is spent: the authority answers with its rate limit. */
class QuotaSpentChannel implements AuthorityListChannel {
  readonly name = 'baiwang';
  async listPage(): Promise<AuthorityListPage> {
    throw new AppError('RATE_LIMITED', 'unavailable', 'daily call quota spent');
  }
}

interface Row {
  id: string;
  state: string;
  severity: string;
  branch_id: string | null;
  device_id: string | null;
  invoice_key: string | null;
  explanation: string;
  evidence: Record<string, unknown>;
}

/**
 * RECONCILIATION_INCOMPLETE (issue 15): whole runs (pull, compare, merge) against real PostgreSQL with fake channels and an
 * injected clock. A scope whose runs keep ending incomplete is said once it has lasted 12 hours, or at once within 2
 * days of the filing deadline (2026-10: due 16 Nov 2026); a complete run resolves it; re-running never duplicates it.
 */
describe('RECONCILIATION_INCOMPLETE (real PostgreSQL, fake channels)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const clock = new ManualClock('2026-11-05T02:00:00Z');
  const settings: PullSettings = { pageSize: 100, minIntervalMs: 0, pageAttempts: 1, backoffMs: 0, leaseMs: 60_000 };
  const authority = new FakeAuthorityChannel('authority');
  let runs: RunsRepository;

  const run = async (channels: AuthorityListChannel[]) => {
    const { runId } = await runs.enqueue(TAX_NO, PERIOD, 'schedule', 'scheduler', clock.now());
    const claimed = await runs.claim('worker-a', clock.now(), settings.leaseMs);
    const pull = pullService(db.dataSource, channels, settings, clock);
    await runUseCase(db.dataSource, runs, pull, db.comparePhase(), settings, clock).execute({ ...claimed!, workerId: 'worker-a' });
    return (await runs.get(runId))!;
  };
  const scopeFindings = () =>
    db.query<Row>(
      `SELECT id, state, severity, branch_id, device_id, invoice_key, explanation, evidence FROM findings
        WHERE tax_no = $1 AND period = $2 AND type = 'RECONCILIATION_INCOMPLETE'`,
      [TAX_NO, PERIOD],
    );
  const events = async () =>
    (await db.query<{ payload: string }>(`SELECT payload FROM outbox WHERE topic LIKE '%reconcile.findings.v1' ORDER BY id`))
      .map((o) => JSON.parse(o.payload).data)
      .filter((d) => d.type === 'RECONCILIATION_INCOMPLETE');

  beforeAll(async () => {
    await db.start();
    runs = new RunsRepository(db.dataSource, db.ids);
    await seed.ledger({ key: key(1) });
    await seed.delivery(key(1), 'authority', 'accepted', '2026-10-10T03:00:00Z');
    authority.records = [authorityRecord(key(1))];
  });
  afterAll(() => db.stop());

  it('says nothing while the incomplete runs are younger than 12 hours and the deadline is more than 2 days away', async () => {
    expect(filingDeadline(PERIOD).deadline).toBe('2026-11-16');
    authority.down = true;
    expect(await run([authority])).toMatchObject({ state: 'incomplete' });
    clock.advance(6 * HOUR);
    expect(await run([authority])).toMatchObject({ state: 'incomplete' });
    expect(await scopeFindings()).toEqual([]);
  });

  it('opens one critical finding at taxpayer level once the first incomplete run is 12 hours old, naming the causes, since when and the deadline', async () => {
    clock.advance(6 * HOUR + 30 * 60_000);
    await run([authority]);
    const [finding, ...more] = await scopeFindings();
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ state: 'open', severity: 'critical', branch_id: null, device_id: null, invoice_key: null });
    expect(finding.evidence).toMatchObject({
      taxNo: TAX_NO, period: PERIOD, deadline: '2026-11-16', since: '2026-11-05T02:00:00.000Z', runs: 3,
      causes: ['AUTHORITY_UNAVAILABLE'], why: 'incomplete-too-long',
    });
    expect(finding.explanation).toBe(
      `纳税人（税号 ${TAX_NO}）2026年10月的对账自11月5日 10:00起未能完成（3次均未完成：税局服务不可用），申报截止日为2026年11月16日（还剩11天）；请财务主管检查税局连接和调用额度，来不及修复时请在申报前手工核对本期发票。`,
    );
    // announced once, without a branch, a device or an invoice (the contract allows it for this type only)
    expect(await events()).toMatchObject([{ state: 'open', previousState: null, branchId: null, deviceId: null, invoice: null }]);
  });

  it('stays one finding on the next incomplete runs, adding a spent quota to the causes', async () => {
    clock.advance(HOUR);
    await run([new QuotaSpentChannel()]);
    clock.advance(HOUR);
    await run([new QuotaSpentChannel()]);
    const [finding, ...more] = await scopeFindings();
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ state: 'open' });
    expect(finding.evidence).toMatchObject({ runs: 5, causes: ['AUTHORITY_UNAVAILABLE', 'QUOTA_SPENT'], since: '2026-11-05T02:00:00.000Z' });
    expect(finding.explanation).toContain('（5次均未完成：税局服务不可用、调用或查验次数已用尽）');
    expect(await events()).toHaveLength(1);
  });

  it('resolves itself when a complete run of the scope succeeds, saying so', async () => {
    // 6 Nov 03:30 Shanghai
    clock.advance(HOUR);
    authority.down = false;
    expect(await run([authority])).toMatchObject({ state: 'completed' });
    const [finding] = await scopeFindings();
    expect(finding.state).toBe('resolved');
    expect(finding.explanation).toBe(`纳税人（税号 ${TAX_NO}）2026年10月的对账已于11月6日完整完成，自11月5日起未能完成的问题已自动解决。`);
    expect((await events()).map((e) => e.state)).toEqual(['open', 'resolved']);
    expect((await events())[1].explanation).toBe(finding.explanation);
  });

  it('near the deadline says it at the first incomplete run, and reopens the same finding rather than a second one', async () => {
    // 13 Nov 20:00 Shanghai: 3 days before the deadline, a fresh incomplete run is nothing yet
    clock.set(new Date('2026-11-13T12:00:00Z'));
    authority.down = true;
    await run([authority]);
    expect((await scopeFindings()).map((f) => f.state)).toEqual(['resolved']);
    // 14 Nov 01:00 Shanghai, five hours later: within 2 days of the deadline
    clock.set(new Date('2026-11-13T17:00:00Z'));
    await run([authority]);
    const [finding, ...more] = await scopeFindings();
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ state: 'open', severity: 'critical' });
    expect(finding.evidence).toMatchObject({ runs: 2, since: '2026-11-13T12:00:00.000Z', why: 'near-deadline' });
    expect(finding.explanation).toContain('申报截止日为2026年11月16日（还剩2天）');
  });
});
