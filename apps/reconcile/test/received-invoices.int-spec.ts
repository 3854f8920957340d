import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock } from '@lib/common';
import { pollUntil, startTestIssuer, TestIssuer } from '@lib/testing';
import {
  BUYER_TAX_NO,
  digitalSpecialInvoice,
  SELLER_TAX_NO,
} from '../../../libs/domain/src/testing/invoice.fixture';
import { ReceivedRecheckService } from '../src/received/received-recheck.service';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const number = (n: number) => `2544200000000077${String(n).padStart(4, '0')}`;
/** A supplier's (SELLER_TAX_NO) invoice to our taxpayer (BUYER_TAX_NO), as the authority holds it. */
const supplied = (n: number) =>
  digitalSpecialInvoice({ number: number(n), issuedAt: '2026-11-10T10:00:00+08:00' });
/** The same invoice as our branch registers it. */
const registration = (n: number, branchId = 'SZ01') => {
  const i = supplied(n);
  return {
    branchId,
    type: i.type,
    code: null,
    number: i.number,
    issuedAt: i.issuedAt,
    sellerTaxNo: SELLER_TAX_NO,
    sellerName: i.sellerName,
    buyerTaxNo: BUYER_TAX_NO,
    amount: i.amount,
    taxAmount: i.taxAmount,
    totalAmount: i.totalAmount,
  };
};

/**
 * Received invoices (进项) against real PostgreSQL, Kafka and the sandbox's authority and Baiwang: registration by branch
 * with role and branch scope, 查验 on demand with failover and our own quota count (a refused check is never sent), the
 * findings routed to the receiving branch, and the scheduled re-check shared by two workers.
 */
describe('received invoices (进项)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  let sandbox: RunningSandbox;
  let issuer: TestIssuer;
  let clerk: string;
  let otherClerk: string;
  let auditor: string;
  const ids: Record<number, string> = {};
  const as = (token: string) => ({
    get: (path: string) => h.api('GET', path, undefined, token),
    post: (path: string, body: unknown) => h.api('POST', path, body, token),
  });
  const findings = (subject: string) =>
    h.query<{
      id: string;
      type: string;
      state: string;
      branch_id: string;
      severity: string;
      evidence: Record<string, unknown>;
    }>(
      'SELECT id, type, state, branch_id, severity, evidence FROM findings WHERE subject = $1 ORDER BY type',
      [subject],
    );

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-received',
      authority: { visibilityLagMs: 0 },
    });
    issuer = await startTestIssuer();
    const { appKey, appSecret, username, password } = DEV_CREDENTIALS.baiwang;
    await h.start([], clock, {
      ...issuer.env,
      RECONCILE_WORKERS_ENABLED: 'false',
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '2000',
      BAIWANG_BASE_URL: sandbox.urls.baiwang,
      BAIWANG_APP_KEY: appKey,
      BAIWANG_APP_SECRET: appSecret,
      BAIWANG_USERNAME: username,
      BAIWANG_PASSWORD: password,
    });
    clerk = await issuer.token({
      sub: 'clerk-sz',
      name: '深圳 会计',
      roles: ['branch-clerk'],
      branches: ['SZ01'],
    });
    otherClerk = await issuer.token({
      sub: 'clerk-bj',
      name: '北京 会计',
      roles: ['branch-clerk'],
      branches: ['BJ01'],
    });
    auditor = await issuer.token({ sub: 'auditor-1', name: 'Audrey Auditor', roles: ['auditor'] });
    const planted = sandbox.control.plantReceivedInvoices({
      invoices: [
        { invoice: { ...supplied(1) } },
        { invoice: { ...supplied(2) }, status: 'voided' },
        { invoice: { ...supplied(4) } },
        { invoice: { ...supplied(5) } },
      ],
    });
    expect(planted.errors).toEqual([]);
  });
  afterAll(async () => {
    await h?.stop();
    await issuer?.close();
    await sandbox?.close();
  });

  it('registers a batch item by item, within the clerk’s branches only, and records who', async () => {
    const res = await as(clerk).post('/v1/received-invoices/batch', {
      invoices: [
        registration(1),
        registration(2),
        registration(3),
        registration(4),
        registration(5),
        registration(6, 'BJ01'),
        { ...registration(7), totalAmount: '1.00' },
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body.results as {
      index: number;
      status: string;
      id?: string;
      error?: { code: string };
    }[];
    expect(results.map((r) => r.status)).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
      'rejected',
      'rejected',
    ]);
    expect(results[5].error?.code).toBe('BRANCH_OUT_OF_SCOPE');
    expect(results[6].error?.code).toBe('INVALID_RECEIVED_INVOICE');
    results.slice(0, 5).forEach((r, i) => (ids[i + 1] = r.id!));
    const again = await as(clerk).post('/v1/received-invoices', registration(1));
    expect(again).toMatchObject({
      status: 201,
      body: { status: 'existing', receivedInvoice: { id: ids[1], registeredBy: { name: '深圳 会计' } } },
    });
    expect((await as(clerk).post('/v1/received-invoices', { ...registration(8), number: '12' })).status).toBe(
      400,
    );
    expect((await as(auditor).post('/v1/received-invoices', registration(8))).status).toBe(403);
    const [audit] = await h.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM audit_log WHERE action = 'received-invoice.register' AND actor_subject = 'clerk-sz'`,
    );
    expect(audit.n).toBe(5);
  });

  it('checks a voided invoice: the result keeps its channel and who asked, and the finding goes to the receiving branch', async () => {
    const res = await as(clerk).post(`/v1/received-invoices/${ids[2]}/checks`, {});
    expect(res.status).toBe(200);
    expect(res.body.check).toMatchObject({
      result: 'VOIDED',
      channel: 'authority',
      returnCode: '00',
      requestedBy: { subject: 'clerk-sz', name: '深圳 会计' },
    });
    const [finding] = await findings(number(2));
    expect(finding).toMatchObject({
      type: 'RECEIVED_INVOICE_VOIDED',
      state: 'open',
      branch_id: 'SZ01',
      severity: 'critical',
    });
    expect(finding.evidence).toMatchObject({
      authorityStatus: 'VOIDED',
      channel: 'authority',
      sellerTaxNo: SELLER_TAX_NO,
    });
    const event = await pollUntil(
      () =>
        h.findings.messages.map(
          (m) => JSON.parse(m.value ?? '{}') as { data: { type: string; branchId: string; taxNo: string } },
        ),
      (events) => events.some((e) => e.data.type === 'RECEIVED_INVOICE_VOIDED'),
      { what: 'the finding event' },
    );
    expect(event.find((e) => e.data.type === 'RECEIVED_INVOICE_VOIDED')?.data).toMatchObject({
      branchId: 'SZ01',
      taxNo: BUYER_TAX_NO,
    });
    const history = await h.query<{ actor_name: string }>(
      `SELECT h.actor_name FROM finding_history h JOIN findings f ON f.id = h.finding_id WHERE f.subject = $1`,
      [number(2)],
    );
    expect(history).toEqual([{ actor_name: '深圳 会计' }]);
    // A run would never look at it again: "retry" says to check the invoice instead of queueing a run.
    const retry = await as(clerk).post(`/v1/findings/${finding.id}/actions`, {
      action: 'retry',
      reason: 'again',
    });
    expect(retry).toMatchObject({ status: 409, body: { error: { code: 'RETRY_NOT_APPLICABLE' } } });
    expect(await h.query(`SELECT COUNT(*)::int AS n FROM reconcile_runs WHERE trigger = 'retry'`)).toEqual([
      { n: 0 },
    ]);
  });

  it('raises RECEIVED_INVOICE_INVALID for an invoice the authority does not have, and hides it from other branches', async () => {
    const res = await as(clerk).post('/v1/received-invoices/checks', {
      ids: [ids[3], '00000000-0000-4000-8000-000000000000'],
    });
    expect(res.body.results).toMatchObject([
      { id: ids[3], status: 'checked', check: { result: 'NOT_FOUND', channel: 'authority' } },
      { status: 'not_found', error: { code: 'RECEIVED_INVOICE_NOT_FOUND' } },
    ]);
    expect(await findings(number(3))).toMatchObject([
      { type: 'RECEIVED_INVOICE_INVALID', state: 'open', branch_id: 'SZ01' },
    ]);
    expect((await as(otherClerk).get(`/v1/received-invoices/${ids[3]}`)).status).toBe(404);
    expect((await as(otherClerk).post(`/v1/received-invoices/${ids[3]}/checks`, {})).status).toBe(404);
    const mine = await as(clerk).get(`/v1/received-invoices/${ids[3]}`);
    expect(mine.body).toMatchObject({
      lastResult: 'NOT_FOUND',
      checks: [{ result: 'NOT_FOUND', trigger: 'batch' }],
    });
  });

  it('counts the quota itself: after 5 checks on the authority it asks Baiwang, after 5 more it refuses without sending', async () => {
    const results: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await as(clerk).post(`/v1/received-invoices/${ids[1]}/checks`, {});
      results.push(`${res.status} ${(res.body.check as { channel: string }).channel}`);
    }
    expect(results).toEqual([...Array(5).fill('200 authority'), ...Array(5).fill('200 baiwang')]);
    const before = sandbox.control.state().authority;
    const refused = await as(clerk).post(`/v1/received-invoices/${ids[1]}/checks`, {});
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'QUOTA_EXHAUSTED' } });
    expect(sandbox.control.state().authority).toEqual(before);
    const checks = await as(clerk).get(`/v1/received-invoices/${ids[1]}/checks`);
    expect((checks.body.items as unknown[]).length).toBe(10);
    expect(JSON.stringify(checks.body)).not.toContain('"code":"05"');
    expect(await findings(number(1))).toEqual([]);
  });

  it('fails over to Baiwang while the authority is down', async () => {
    sandbox.control.setFaults('authority', { outage: { durationMs: 600_000, retryAfterSeconds: 1 } });
    try {
      const res = await as(clerk).post(`/v1/received-invoices/${ids[4]}/checks`, {});
      expect(res.body.check).toMatchObject({ result: 'VALID', channel: 'baiwang' });
      expect(
        (res.body.check as { attempts: { channel: string; outcome: string }[] }).attempts[0],
      ).toMatchObject({ channel: 'authority', outcome: 'unavailable' });
    } finally {
      sandbox.control.clearFaults('authority');
    }
  });

  it('re-checks the open period on schedule: a later red reversal is found, each invoice by one of two workers', async () => {
    expect(sandbox.control.setAuthorityInvoiceStatus(number(5), 'red-reversed')).not.toBeNull();
    clock.advance(25 * 3_600_000); // a new Shanghai day: our quota count is whole again, and every checked invoice is due
    // the sandbox keeps real time: its own count of invoice 1 (5 on each channel today) is lifted as a new day would
    sandbox.control.settings.authority.dailyQueryQuota = 100;
    const recheck = h.app.get(ReceivedRecheckService);
    const rounds = await Promise.all([recheck.tick('worker-a'), recheck.tick('worker-b')]);
    // 1, 3, 4, 5 are due (2 is voided for good); each claimed by exactly one worker
    expect(rounds.reduce((n, r) => n + r.claimed, 0)).toBe(4);
    expect(rounds.reduce((n, r) => n + r.checked, 0)).toBe(4);
    const [recheckRows] = await h.query<{ n: number; invoices: number }>(
      `SELECT COUNT(*)::int AS n, COUNT(DISTINCT received_invoice_id)::int AS invoices FROM received_checks WHERE trigger = 'recheck'`,
    );
    expect(recheckRows).toEqual({ n: 4, invoices: 4 });
    expect(await findings(number(5))).toMatchObject([
      {
        type: 'RECEIVED_INVOICE_VOIDED',
        state: 'open',
        branch_id: 'SZ01',
        evidence: { authorityStatus: 'RED_REVERSED' },
      },
    ]);
    const again = await Promise.all([recheck.tick('worker-a'), recheck.tick('worker-b')]);
    expect(again.map((r) => r.claimed)).toEqual([0, 0]);
  });
});
