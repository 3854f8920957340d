import { randomUUID } from 'node:crypto';
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { AUTHORITY_PATHS, signAuthorityRequest } from '@lib/protocols';
import { pollUntil, startTestIssuer, TestIssuer } from '@lib/testing';
import {
  digitalRedInvoice,
  digitalSpecialInvoice,
  negate,
} from '../../../libs/domain/src/testing/invoice.fixture';
import { toWireInvoice } from '../../../libs/providers/src/shared/wire-invoice.mapper';
import { CorrectionSubmitterService } from '../src/corrections/correction-submitter.service';
import { CorrectionTrackerService } from '../src/remediation/correction-tracker.service';
import { RunWorkerService } from '../src/runs/run-worker.service';
import { RemediationRepository } from '../src/remediation/remediation.repository';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const PERIOD = '2026-10';
/** The authority's copy of each original (the sandbox's record): the invoice fixture's amounts. */
const AUTHORITY = { amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' };
/** Our ledger says otherwise (one fen more). */
const LEDGER = { amount: '4483.22', taxAmount: '516.79', totalAmount: '5000.01' };
const invoice = (n: number): Invoice =>
  digitalSpecialInvoice({
    number: `254420000007000000${String(n).padStart(2, '0')}`,
    issuedAt: '2026-10-10T10:00:00+08:00',
  });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Red-letter corrections end to end with four eyes (docs/corrections.md): reconcile's app on real PostgreSQL with
 * people's tokens from a test issuer, the sandbox authority in process behind the real red-form adapters. A mismatch's
 * proposal is approved by a finance manager who did not propose it, entered at the authority exactly once even when the
 * answer is lost, followed through the buyer's confirmation to the red invoice, which resolves the finding; a rejection
 * by a manager, by the buyer, a 72-hour expiry and the authority's refusal of an amount above the remainder each
 * escalate the finding with a sentence; self-approval, roles and branches are enforced.
 */
/**
 * What follows a red-letter correction (docs/corrections.md): the next reconciliation does not report a pair a completed
 * correction settled, and reopens its finding when a difference remains; a correction that re-issues the invoice completes
 * when the red invoice and the named re-issue are both at the authority; a form the buyer rejects escalates the finding,
 * announced as any escalation, and a person may propose another. Reconcile's app on real PostgreSQL and Kafka, the
 * sandbox authority in process, people's tokens from a test issuer.
 */
describe('red-letter corrections, after the form (sandbox authority, real PostgreSQL)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const [settled, reissued, buyerRejects] = [11, 12, 13].map(invoice);
  const TAX_NO = settled.sellerTaxNo;
  let sandbox: RunningSandbox;
  let issuer: TestIssuer;
  let submitter: CorrectionSubmitterService;
  let tracker: CorrectionTrackerService;
  let worker: RunWorkerService;
  const tokens: Record<'clerkSz' | 'managerA' | 'managerB', string> = {} as never;
  const findings: Record<string, string> = {};
  /** The red invoice issued with the settled correction's form (first test). */
  let settledRed = '';

  const as = (token: string) => ({
    get: (path: string) => h.api('GET', path, undefined, token) as Promise<{ status: number; body: Json }>,
    post: (path: string, body: unknown = {}) =>
      h.api('POST', path, body, token) as Promise<{ status: number; body: Json }>,
  });
  /** A mismatch finding in remediation, and the run's correction proposal for it (as a run makes them). */
  const mismatch = async (i: Invoice, branchId: string, authority = AUTHORITY): Promise<string> => {
    const runId = randomUUID();
    const id = randomUUID();
    await h.query(
      `INSERT INTO reconcile_runs (id, tax_no, period, state, trigger, requested_by, created_at) VALUES ($1, $2, $3, 'completed', 'test', 'test', now())`,
      [runId, TAX_NO, PERIOD],
    );
    await h.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour,
         state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
       VALUES ($1, $2, $3, 'dev-1', $4, 'DIGITAL_SPECIAL', NULL, $1, 'blue', 'issued', $5, $6, $7, $8, $8, 'ledger', $8)`,
      [
        i.number,
        TAX_NO,
        branchId,
        PERIOD,
        LEDGER.amount,
        LEDGER.taxAmount,
        LEDGER.totalAmount,
        new Date(i.issuedAt),
      ],
    );
    await h.query(
      `INSERT INTO findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
         invoice_code, invoice_number, explanation, evidence, last_run_id, created_at, updated_at)
       VALUES ($1, $2, $3, 'AMOUNT_MISMATCH', $4, 'remediating', 'warning', $5, 'dev-1', $4, 'DIGITAL_SPECIAL', NULL, $4,
               'amounts differ', $6, $7, now(), now())`,
      [id, TAX_NO, PERIOD, i.number, branchId, JSON.stringify({ ledger: LEDGER, authority }), runId],
    );
    await h.dataSource.transaction((m) =>
      h.app.get(RemediationRepository).requestCorrections(m, runId, clock.now()),
    );
    findings[i.number] = id;
    return id;
  };
  const correctionOf = async (i: Invoice): Promise<Json> => {
    const list = await as(tokens.managerA).get(`/v1/corrections?findingId=${findings[i.number]}`);
    expect(list.status).toBe(200);
    return list.body.items[0] as Json;
  };
  const finding = async (i: Invoice) =>
    (
      await h.query<{ state: string; explanation: string }>(
        'SELECT state, explanation FROM findings WHERE id = $1',
        [findings[i.number]],
      )
    )[0];
  const findingTrail = (i: Invoice) =>
    h.query<{ action: string; actor_name: string; to_state: string }>(
      'SELECT action, actor_name, to_state FROM finding_history WHERE finding_id = $1 ORDER BY id',
      [findings[i.number]],
    );
  const issueRed = async (original: Invoice, formId: string): Promise<string> => {
    const red = digitalRedInvoice({
      number: `2544200000079${original.number.slice(-7)}`,
      issuedAt: '2026-11-20T11:00:00+08:00',
      original: { code: null, number: original.number },
      redReason: '01',
      lines: original.lines.map(negate),
    });
    const body = JSON.stringify({
      kind: 'red-issued',
      invoice: { ...toWireInvoice(red), redFormId: formId },
    });
    const path = AUTHORITY_PATHS.upload(TAX_NO);
    const headers = signAuthorityRequest({
      ...DEV_CREDENTIALS.authority,
      method: 'POST',
      pathAndQuery: path,
      body,
    });
    const answer = (await (
      await fetch(`${sandbox.urls.authority}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      })
    ).json()) as { code: string };
    expect(answer.code).toBe('0000');
    return red.number;
  };

  /** Approved by manager B, entered at the authority, confirmed by the buyer: the correction's form id. */
  const approveAndConfirm = async (i: Invoice): Promise<string> => {
    const c = await correctionOf(i);
    expect((await as(tokens.managerB).post(`/v1/corrections/${c.id}/approve`)).status).toBe(200);
    expect(await submitter.tick()).toMatchObject({ claimed: 1, created: 1 });
    const formId = (await correctionOf(i)).form.formId as string;
    expect(sandbox.control.actOnRedForm(formId, 'buyer', 'confirm')).toMatchObject({ ok: true });
    return formId;
  };
  /** A reconciliation of the period, run to its end by the worker: the types of the invoice's findings it saw. */
  const reconcile = async (i: Invoice | string, period = PERIOD): Promise<string[]> => {
    const key = typeof i === 'string' ? i : i.number;
    const started = await as(tokens.managerA).post('/v1/reconciliations', { taxNo: TAX_NO, period });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    await pollUntil(
      async () => {
        await worker.tick();
        return (await as(tokens.managerA).get(`/v1/reconciliations/${runId}`)).body.state as string;
      },
      (state) => ['completed', 'incomplete', 'failed'].includes(state),
      { timeoutMs: 60_000, what: 'the run' },
    );
    const run = (await as(tokens.managerA).get(`/v1/reconciliations/${runId}`)).body;
    expect([run.state, run.incompleteReason]).toEqual(['completed', null]);
    // (a run keeps its discrepancies only while it is among the scope's latest: read what it did to the findings)
    const rows = await h.query<{ type: string }>(
      'SELECT type FROM findings WHERE last_run_id = $1 AND invoice_key = $2 ORDER BY type',
      [runId, key],
    );
    return rows.map((r) => r.type);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-corrections-follow-up',
      authority: { visibilityLagMs: 0 },
    });
    sandbox.control.seedRecords([settled, reissued, buyerRejects].map((i) => ({ invoice: i })));
    issuer = await startTestIssuer();
    // no channels given: the app reads the sandbox authority through its real adapters (AUTHORITY_BASE_URL)
    await h.start(undefined, clock, {
      ...issuer.env,
      RECONCILE_WORKERS_ENABLED: 'false',
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '1000',
    });
    submitter = h.app.get(CorrectionSubmitterService);
    tracker = h.app.get(CorrectionTrackerService);
    worker = h.app.get(RunWorkerService);
    tokens.clerkSz = await issuer.token({ sub: 'clerk-sz', name: '深圳 会计', roles: ['branch-clerk'], branches: ['SZ01'] });
    tokens.managerA = await issuer.token({ sub: 'mgr-a', name: '王经理', roles: ['finance-manager'] });
    tokens.managerB = await issuer.token({ sub: 'mgr-b', name: '李经理', roles: ['finance-manager'] });
    await mismatch(settled, 'SZ01');
    await mismatch(reissued, 'SZ01');
    await mismatch(buyerRejects, 'SZ01');
  });
  afterAll(async () => {
    await h?.stop();
    await issuer?.close();
    await sandbox?.close();
  });

  it('does not see a completed correction as a mismatch again; a difference that remains reopens the finding', async () => {
    const formId = await approveAndConfirm(settled);
    const red = await issueRed(settled, formId);
    settledRed = red;
    clock.advance(HOUR);
    expect(await tracker.tick()).toMatchObject({ resolved: 1 });
    expect((await finding(settled)).state).toBe('resolved');
    // the authority's copy is now reversed by the red invoice, ours still reads 5000.01 issued: settled, not a mismatch
    expect(await reconcile(settled)).toEqual([]);
    expect((await finding(settled)).state).toBe('resolved');
    expect(await correctionOf(settled)).toMatchObject({ state: 'completed', redInvoiceKey: red });
    // our copy changes afterwards: a real difference remains, and the finding comes back
    await h.query(`UPDATE ledger_invoices SET tax_amount = 516.80, total_amount = 5000.02 WHERE invoice_key = $1`, [
      settled.number,
    ]);
    clock.advance(HOUR);
    expect(await reconcile(settled)).toEqual(expect.arrayContaining(['AMOUNT_MISMATCH']));
    expect((await finding(settled)).state).toBe('remediating');
  });

  it("takes the red invoice issued with its own correction's form for that correction's, not for one missing from the ledger", async () => {
    // issued on the authority's side (not through our devices) in the month after the original's, with our form
    expect(settledRed).not.toBe('');
    const corrections = await as(tokens.managerA).get(`/v1/corrections?findingId=${findings[settled.number]}`);
    expect(corrections.body.items).toContainEqual(expect.objectContaining({ state: 'completed', redInvoiceKey: settledRed }));
    expect(await reconcile(settledRed, '2026-11')).toEqual([]);
    expect(await h.query('SELECT type, state FROM findings WHERE invoice_key = $1', [settledRed])).toEqual([]);
    // an invoice only the authority has, issued with no form of ours, is still missing from the ledger
    const stranger = digitalSpecialInvoice({ number: '25442000000700000099', issuedAt: '2026-11-20T09:00:00+08:00' });
    sandbox.control.seedRecords([{ invoice: stranger }]);
    clock.advance(HOUR);
    expect(await reconcile(stranger.number, '2026-11')).toEqual(['MISSING_IN_LEDGER']);
  });

  it('completes a re-issuing correction once the red invoice and the named re-issue are both at the authority', async () => {
    const automatic = await correctionOf(reissued);
    const proposed = await as(tokens.managerA).post('/v1/corrections', {
      findingId: findings[reissued.number],
      reasonCode: '01',
      amount: AUTHORITY.amount,
      taxAmount: AUTHORITY.taxAmount,
      reissue: true,
      note: 'reverse and issue it again with the agreed tax',
    });
    expect(proposed.status).toBe(201);
    expect((await as(tokens.managerA).get(`/v1/corrections/${automatic.id}`)).body.state).toBe('withdrawn');
    const id = proposed.body.id as string;
    const formId = await approveAndConfirm(reissued);
    const red = await issueRed(reissued, formId);
    clock.advance(HOUR);
    await tracker.tick();
    // the red invoice alone does not complete it
    expect(await correctionOf(reissued)).toMatchObject({ state: 'confirmed', redInvoiceKey: red, reissueInvoiceKey: null });
    expect((await finding(reissued)).state).toBe('remediating');

    const link = (body: unknown, token = tokens.clerkSz) => as(token).post(`/v1/corrections/${id}/reissue`, body);
    const itself = await link({ invoiceKey: reissued.number });
    expect([itself.status, itself.body.error?.code]).toEqual([400, 'CORRECTION_REISSUE_INVALID']);
    const unknown = await link({ invoiceKey: '25442000000799999999' });
    expect([unknown.status, unknown.body.error?.code]).toEqual([400, 'CORRECTION_REISSUE_INVALID']);
    expect((await link({})).status).toBe(400);
    const notReissue = await as(tokens.clerkSz).post(`/v1/corrections/${(await correctionOf(settled)).id}/reissue`, {
      invoiceKey: reissued.number,
    });
    expect([notReissue.status, notReissue.body.error?.code]).toEqual([400, 'CORRECTION_NOT_REISSUE']);

    // the corrected invoice is issued through our ledger; a clerk of the branch names it
    const again = `2544200000078${reissued.number.slice(-7)}`;
    await h.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour,
         state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
       VALUES ($1, $2, 'SZ01', 'dev-1', '2026-11', 'DIGITAL_SPECIAL', NULL, $1, 'blue', 'issued', 4483.22, 516.79, 5000.01, $3, $3, 'ledger', $3)`,
      [again, TAX_NO, clock.now()],
    );
    const linked = await link({ invoiceKey: again, note: 'issued again with the agreed tax' });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ state: 'confirmed', reissueInvoiceKey: again });
    expect(linked.body.history.at(-1)).toMatchObject({
      action: 'reissue-linked',
      actor: { kind: 'person', subject: 'clerk-sz', name: '深圳 会计' },
      reason: 'issued again with the agreed tax',
    });
    // not yet accepted by the authority: still waiting
    await tracker.tick();
    expect((await finding(reissued)).state).toBe('remediating');
    await h.query(
      `INSERT INTO sync_deliveries (invoice_key, target, outcome, attempts, first_accepted_at, last_accepted_at, at)
       VALUES ($1, 'authority', 'accepted', 1, $2, $2, $2)`,
      [again, clock.now()],
    );
    clock.advance(HOUR);
    expect(await tracker.tick()).toMatchObject({ resolved: 1 });
    expect(await correctionOf(reissued)).toMatchObject({ state: 'completed', reissueInvoiceKey: again });
    expect(await finding(reissued)).toEqual({
      state: 'resolved',
      explanation: `Invoice ${reissued.number} was corrected: red invoice ${red} reversed it at the authority with red-letter confirmation form ${formId} and invoice ${again} re-issued it corrected, so the mismatch is settled.`,
    });
    expect((await findingTrail(reissued)).map((t) => [t.action, t.actor_name])).toContainEqual([
      'correction-reissue',
      '深圳 会计',
    ]);
    const audit = await h.query<{ action: string; actor_name: string }>(
      `SELECT action, actor_name FROM audit_log WHERE target_type = 'correction' AND target_id = $1 AND action = 'correction.reissue'`,
      [id],
    );
    expect(audit).toEqual([{ action: 'correction.reissue', actor_name: '深圳 会计' }]);
  });

  it('escalates, and announces, a correction the buyer rejects; a person may then propose another', async () => {
    const c = await correctionOf(buyerRejects);
    expect((await as(tokens.managerB).post(`/v1/corrections/${c.id}/approve`)).status).toBe(200);
    expect(await submitter.tick()).toMatchObject({ claimed: 1, created: 1 });
    const formId = (await correctionOf(buyerRejects)).form.formId as string;
    expect(sandbox.control.actOnRedForm(formId, 'buyer', 'reject')).toMatchObject({ ok: true, form: { state: '05' } });
    clock.advance(HOUR);
    expect(await tracker.tick()).toMatchObject({ escalated: 1 });
    expect(await correctionOf(buyerRejects)).toMatchObject({ state: 'void', form: { formId, state: '05' } });
    expect(await finding(buyerRejects)).toEqual({
      state: 'escalated',
      explanation: `Invoice ${buyerRejects.number} still differs from the authority's record and its red-letter confirmation form ${formId} was rejected by the buyer (state 05), so no red invoice can be issued with it; a person must agree the correction with the buyer and enter a new form.`,
    });
    // announced as any escalation (the notifier tells the people of the branch and escalates further while unresolved)
    const announced = () =>
      h.findings.messages
        .map((e) => JSON.parse(e.value ?? '{}').data as Json)
        .filter((d) => d.findingId === findings[buyerRejects.number] && d.state === 'escalated');
    await pollUntil(announced, (a) => a.length > 0, { timeoutMs: 15_000, what: 'the escalation event' });
    expect(announced()[0]).toMatchObject({ previousState: 'remediating' });
    // a person agrees a smaller correction with the buyer and proposes it: the finding is remediated again
    const next = await as(tokens.managerA).post('/v1/corrections', {
      findingId: findings[buyerRejects.number],
      reasonCode: '04',
      amount: '100.00',
      taxAmount: '13.00',
      note: 'allowance agreed with the buyer by phone',
    });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ state: 'proposed', attempt: 2 });
    expect((await finding(buyerRejects)).state).toBe('remediating');
  });
});
