import { ALL_BRANCHES } from '@lib/platform';
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock, SystemClock } from '@lib/common';
import { AuthorityRecordsAdapter, BaiwangChannelAdapter, InMemoryTokenStore } from '@lib/providers';
import { digitalSpecialInvoice, SELLER_TAX_NO } from '../../../libs/domain/src/testing/invoice.fixture';
import { FindingsQueryRepository } from '../src/findings/findings-query.repository';
import { LedgerQueryRepository } from '../src/projections/ledger-query.repository';
import { SyncProjectionRepository } from '../src/projections/sync-projection.repository';
import { AuthorityRecordsChannel } from '../src/pull/authority-records.channel';
import { InvoiceCheckChannel } from '../src/pull/invoice-check.port';
import { PerInvoiceSettings } from '../src/pull/per-invoice-pull.service';
import { PullSettings } from '../src/pull/pull.service';
import { StagingRepository } from '../src/pull/staging.repository';
import { VerificationCheckChannel } from '../src/pull/verification-check.channel';
import { RunsRepository } from '../src/runs/runs.repository';
import { GetInvoiceTimelineUseCase } from '../src/use-cases/get-invoice-timeline/get-invoice-timeline.use-case';
import { ReconcileDb } from './support/reconcile-db';
import { perInvoicePull, pullService, runProgress, runUseCase } from './support/run-wiring';
import { key, Seed } from './support/seed';

/** Past 2026-10's deadline: the device without a 抄报 (REPORT_MISSING) and the per-invoice (incomplete) scope, said at once. */
const PAST_DEADLINE = { RECONCILIATION_INCOMPLETE: 1, REPORT_MISSING: 1 };

jest.setTimeout(60_000);

const TAX = SELLER_TAX_NO;
const PERIOD = '2026-10';
const HOUR = 3_600_000;
const T0 = new Date('2026-11-20T02:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/**
 * Sparing the 查验 quota across runs (the authority's list down for hours, the scope re-run hourly): a per-invoice pull
 * reuses an earlier run's conclusive answer younger than RECONCILE_CHECK_REUSE_MS instead of asking again, unless the
 * ledger invoice changed since, and an absent answer not across the visibility lag. Real PostgreSQL, sandbox 查验 through
 * Baiwang, every call counted.
 */
describe('per-invoice pull: reuse of earlier answers', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db, TAX);
  const clock = new ManualClock(T0.toISOString());
  const settings: PullSettings = {
    pageSize: 10,
    minIntervalMs: 0,
    pageAttempts: 1,
    backoffMs: 0,
    leaseMs: 60_000,
  };
  const perInvoiceSettings: PerInvoiceSettings = {
    pageSize: 10,
    attempts: 1,
    backoffMs: 0,
    minIntervalMs: 0,
    maxChecks: 100,
    reuseMs: 6 * HOUR,
    visibilityLagMs: 24 * HOUR,
  };
  const calls: string[] = [];
  let sandbox: RunningSandbox;
  let runs: RunsRepository;
  let validate: InvoiceCheckChannel;
  let list: AuthorityRecordsAdapter;
  let baiwang: BaiwangChannelAdapter;

  const perInvoice = (over: Partial<PerInvoiceSettings> = {}) => {
    const counted: InvoiceCheckChannel = {
      name: validate.name,
      check: (taxNo, invoice) => {
        calls.push(invoice.invoiceKey);
        return validate.check(taxNo, invoice);
      },
    };
    return perInvoicePull(db.dataSource, [counted], { ...perInvoiceSettings, ...over }, clock);
  };

  /** One run through the use case; returns it with the keys the channel was asked about. */
  const reconcile = async (over: Partial<PerInvoiceSettings> = {}) => {
    calls.length = 0;
    const pull = pullService(db.dataSource, [new AuthorityRecordsChannel('authority', list)], settings, clock, perInvoice(over));
    const useCase = runUseCase(db.dataSource, runs, pull, db.comparePhase(), settings, clock);
    const { runId } = await runs.enqueue(TAX, PERIOD, 'api', 'tester', clock.now());
    const claimed = await runs.claim('worker-a', clock.now(), settings.leaseMs);
    expect(claimed?.id).toBe(runId);
    await useCase.execute({ ...claimed!, workerId: 'worker-a' });
    return { run: (await runs.get(runId))!, asked: [...calls].sort() };
  };

  const checks = (runId: string) =>
    db.query<{
      invoice_key: string;
      outcome: string;
      channel: string;
      observed_at: Date;
      reused_from_run: string | null;
    }>(
      'SELECT invoice_key, outcome, channel, observed_at, reused_from_run FROM authority_checks WHERE run_id = $1 ORDER BY invoice_key',
      [runId],
    );

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-per-invoice-reuse',
      authority: { visibilityLagMs: 0, dailyQueryQuota: 100 },
    });
    await db.start();
    const authority = {
      baseURL: sandbox.urls.authority,
      appId: DEV_CREDENTIALS.authority.appId,
      appSecret: DEV_CREDENTIALS.authority.appSecret,
      timeoutMs: 2_000,
    };
    list = new AuthorityRecordsAdapter(authority, new SystemClock());
    const { appKey, appSecret, username, password } = DEV_CREDENTIALS.baiwang;
    baiwang = new BaiwangChannelAdapter(
      {
        baseURL: sandbox.urls.baiwang,
        appKey,
        appSecret,
        username,
        password,
        timeoutMs: 2_000,
        tokenRefreshMarginMs: 60_000,
      },
      new InMemoryTokenStore(),
      new SystemClock(),
    );
    validate = new VerificationCheckChannel('baiwang-validate', baiwang);
    runs = new RunsRepository(db.dataSource, db.ids);

    const ledger = {
      type: 'DIGITAL_SPECIAL',
      amount: '4483.22',
      taxAmount: '516.78',
      totalAmount: '5000.00',
      issuedAt: '2026-10-10T02:00:00Z',
    };
    await seed.ledger({ ...ledger, key: key(1) }); // the same at the authority: found
    await seed.ledger({ ...ledger, key: key(2), amount: '4583.22', totalAmount: '5100.00' }); // other total: 查验 03
    await seed.ledger({ ...ledger, key: key(3) }); // accepted by Baiwang 23.5 h before the first run, not at the authority
    await seed.delivery(key(3), 'baiwang', 'accepted', at(-23.5 * HOUR).toISOString());
    await seed.ledger({ ...ledger, key: key(4) }); // never delivered, not at the authority
    await seed.clearCard('dev-1', PERIOD, 'succeeded', '2026-11-02T01:00:00Z');
    const theirs = (n: number) =>
      digitalSpecialInvoice({ number: key(n), issuedAt: '2026-10-10T10:00:00+08:00' });
    expect(sandbox.control.seedRecords([{ invoice: theirs(1) }, { invoice: theirs(2) }]).errors).toEqual([]);
    sandbox.control.setFaults('authority', { outage: { durationMs: 600_000, retryAfterSeconds: 1 } });
  });
  afterAll(async () => {
    list?.shutdown();
    baiwang?.shutdown();
    await db.stop();
    await sandbox?.close();
  });

  let first: string;

  it('asks about every invoice the first time, and the 查验 03 one becomes an open AMOUNT_MISMATCH', async () => {
    const { run, asked } = await reconcile();
    first = run.id;
    expect(asked).toEqual([key(1), key(2), key(3), key(4)]);
    expect(run.incompleteReason).toContain(
      'per-invoice: 4 of 4 ledger invoices checked; absent 2 via baiwang-validate, differs 1 via baiwang-validate, found 1 via baiwang-validate (coverage',
    );
    expect((await checks(run.id)).map((c) => c.reused_from_run)).toEqual([null, null, null, null]);
    expect((run.counts as { discrepancies: Record<string, number> }).discrepancies).toEqual({
      AMOUNT_MISMATCH: 1,
      MISSING_IN_AUTHORITY: 1,
      PENDING_VISIBILITY: 1,
      ...PAST_DEADLINE,
    });
  });

  it('reuses the answers younger than the maximum age (no call), except an absent one whose acceptance has passed the lag since', async () => {
    clock.set(at(HOUR));
    const { run, asked } = await reconcile();
    // key 3 was within its visibility lag when checked (accepted 23.5 h before): by now it could be visible, so it is asked again
    expect(asked).toEqual([key(3)]);
    expect(run.incompleteReason).toContain(
      'per-invoice: 4 of 4 ledger invoices checked; absent 2 via baiwang-validate, differs 1 via baiwang-validate, found 1 via baiwang-validate; 3 of the answers reused from earlier runs (no call made), 1 asked (coverage',
    );
    // reused: recorded for this run with the channel and time of the first run's answer, and the run that asked
    expect(await checks(run.id)).toEqual([
      {
        invoice_key: key(1),
        outcome: 'found',
        channel: 'baiwang-validate',
        observed_at: T0,
        reused_from_run: first,
      },
      {
        invoice_key: key(2),
        outcome: 'differs',
        channel: 'baiwang-validate',
        observed_at: T0,
        reused_from_run: first,
      },
      {
        invoice_key: key(3),
        outcome: 'absent',
        channel: 'baiwang-validate',
        observed_at: at(HOUR),
        reused_from_run: null,
      },
      {
        invoice_key: key(4),
        outcome: 'absent',
        channel: 'baiwang-validate',
        observed_at: T0,
        reused_from_run: first,
      },
    ]);
    // the found record is staged for this run's comparison, marked as the first run's observation
    expect(
      await db.query(
        'SELECT invoice_key, channel, status, observed_at, reused_from_run FROM authority_staged WHERE run_id = $1',
        [run.id],
      ),
    ).toEqual([
      {
        invoice_key: key(1),
        channel: 'baiwang-validate',
        status: 'NORMAL',
        observed_at: T0,
        reused_from_run: first,
      },
    ]);
    expect(run).toMatchObject({ records: 1 });
    expect((run.counts as { checks: unknown }).checks).toEqual({ asked: 1, reused: 3 });
    // the invoice's timeline shows the reused observation once, under the run that made it
    const timeline = await new GetInvoiceTimelineUseCase(
      db.dataSource,
      new FindingsQueryRepository(db.dataSource),
      new LedgerQueryRepository(db.dataSource),
      new SyncProjectionRepository(),
      new StagingRepository(),
    ).execute(ALL_BRANCHES, key(1));
    expect(timeline.entries.filter((e) => e.kind === 'authority-observation').map((e) => e.summary)).toEqual([
      {
        run_id: first,
        channel: 'baiwang-validate',
        status: 'NORMAL',
        amount: '4483.22',
        tax_amount: '516.78',
        total_amount: '5000.00',
      },
    ]);
    // key 3 is now overdue; the reused 03 still makes exactly one AMOUNT_MISMATCH, its evidence saying the answer was reused
    expect((run.counts as { discrepancies: Record<string, number> }).discrepancies).toEqual({
      AMOUNT_MISMATCH: 1,
      MISSING_IN_AUTHORITY: 2,
      ...PAST_DEADLINE,
    });
    const differs = await db.query<{ state: string; checked_at: Date; reused: boolean }>(
      `SELECT state, (evidence->>'checkedAt')::timestamptz AS checked_at, (evidence->>'checkReused')::boolean AS reused
         FROM findings WHERE type = 'AMOUNT_MISMATCH'`,
    );
    expect(differs).toEqual([{ state: 'open', checked_at: T0, reused: true }]);
  });

  it('re-asks an absent answer older than the visibility lag even within the maximum age', async () => {
    clock.set(at(1.75 * HOUR));
    calls.length = 0;
    const pull = perInvoice({ visibilityLagMs: HOUR / 2 });
    const { runId } = await runs.enqueue(TAX, PERIOD, 'api', 'tester', clock.now());
    const claimed = {
      ...(await runs.claim('worker-b', clock.now(), settings.leaseMs))!,
      workerId: 'worker-b',
    };
    expect(claimed.id).toBe(runId);
    const outcome = await pull.pull(claimed, runProgress(runs, claimed, clock, settings.leaseMs), false);
    // key 3 (45 min old) and key 4 (1 h 45 min old) are older than the 30 min lag; found and differs are reused
    expect(calls.sort()).toEqual([key(3), key(4)]);
    expect(outcome).toMatchObject({ allChecked: true, checked: 4, asked: 2, reused: 2 });
    await db.dataSource.transaction((m) => runs.finish(m, claimed, { state: 'failed' }, clock.now()));
  });

  it('asks again about an invoice whose ledger row changed since its answer (voided), and reuses the others', async () => {
    clock.set(at(2 * HOUR));
    await db.query(`UPDATE ledger_invoices SET state = 'voided', updated_at = $2 WHERE invoice_key = $1`, [
      key(1),
      clock.now(),
    ]);
    const { run, asked } = await reconcile();
    expect(asked).toEqual([key(1)]);
    const reused = (await checks(run.id)).filter((c) => c.reused_from_run !== null).map((c) => c.invoice_key);
    expect(reused).toEqual([key(2), key(3), key(4)]);
    // a reused answer names the run that asked, not the run it was copied from
    expect((await checks(run.id)).find((c) => c.invoice_key === key(2))).toMatchObject({
      observed_at: T0,
      reused_from_run: first,
    });
  });

  it('asks again once an answer is older than the maximum age', async () => {
    clock.set(at(7.5 * HOUR));
    const { run, asked } = await reconcile();
    // key 2's 03 is 7.5 h old; key 1 (asked at 2 h) and keys 3 and 4 (asked at 1 h 45 min) are younger than 6 h
    expect(asked).toEqual([key(2)]);
    expect(run.incompleteReason).toContain(
      '3 of the answers reused from earlier runs (no call made), 1 asked',
    );
    const findings = await db.query(
      `SELECT type, subject, state FROM findings WHERE type = 'AMOUNT_MISMATCH'`,
    );
    expect(findings).toEqual([{ type: 'AMOUNT_MISMATCH', subject: key(2), state: 'open' }]);
  });

  it('asks again about an invoice a red invoice reverses since its answer (a new red invoice of the scope is asked about too)', async () => {
    clock.set(at(7.6 * HOUR)); // the others are younger than 6 h
    await db.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour, state,
         original_key, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
       VALUES ($1, $2, 'sz', 'dev-1', $3, 'DIGITAL_SPECIAL', NULL, $1, 'red', 'issued', $4, -100, -13, -113, $5, $5, 'ledger', $5)`,
      [key(12), TAX, PERIOD, key(2), clock.now()],
    );
    await db.query(`UPDATE ledger_invoices SET red_reversed_amount = 113 WHERE invoice_key = $1`, [key(2)]);
    const { asked } = await reconcile();
    expect(asked).toEqual([key(2), key(12)]);
    await db.query('DELETE FROM ledger_invoices WHERE invoice_key = $1', [key(12)]);
    await db.query(`UPDATE ledger_invoices SET red_reversed_amount = 0 WHERE invoice_key = $1`, [key(2)]);
  });

  it('never reuses with a maximum age of 0', async () => {
    clock.set(at(8 * HOUR));
    const { asked } = await reconcile({ reuseMs: 0 });
    expect(asked).toEqual([key(1), key(2), key(3), key(4)]);
  });
});
