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
import { RemediationRepository } from '../src/remediation/remediation.repository';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const PERIOD = '2026-10';
/** The authority's copy of each original (the sandbox's record): the invoice fixture's amounts. */
const AUTHORITY = { amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' };
/** Our ledger says otherwise. */
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
describe('red-letter corrections with four eyes (sandbox authority, real PostgreSQL)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const [main, selfish, buyerRejects, expires, tooMuch] = [1, 2, 3, 4, 5].map(invoice);
  const TAX_NO = main.sellerTaxNo;
  let sandbox: RunningSandbox;
  let issuer: TestIssuer;
  let submitter: CorrectionSubmitterService;
  let tracker: CorrectionTrackerService;
  const tokens: Record<'clerkSz' | 'clerkBj' | 'managerA' | 'managerB' | 'auditor', string> = {} as never;
  const findings: Record<string, string> = {};

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
  const listForms = async (i: Invoice) => {
    const path = AUTHORITY_PATHS.redForms(TAX_NO);
    const headers = signAuthorityRequest({
      ...DEV_CREDENTIALS.authority,
      method: 'GET',
      pathAndQuery: path,
      body: '',
    });
    const answer = (await (await fetch(`${sandbox.urls.authority}${path}`, { headers })).json()) as {
      data: { items: Json[] };
    };
    return answer.data.items.filter((f) => f.originalInvoiceKey === i.number);
  };
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

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-corrections',
      authority: { visibilityLagMs: 0 },
    });
    sandbox.control.seedRecords([main, selfish, buyerRejects, expires, tooMuch].map((i) => ({ invoice: i })));
    issuer = await startTestIssuer();
    await h.start([], clock, {
      ...issuer.env,
      RECONCILE_WORKERS_ENABLED: 'false',
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '1000',
    });
    submitter = h.app.get(CorrectionSubmitterService);
    tracker = h.app.get(CorrectionTrackerService);
    tokens.clerkSz = await issuer.token({
      sub: 'clerk-sz',
      name: '深圳 会计',
      roles: ['branch-clerk'],
      branches: ['SZ01'],
    });
    tokens.clerkBj = await issuer.token({
      sub: 'clerk-bj',
      name: '北京 会计',
      roles: ['branch-clerk'],
      branches: ['BJ01'],
    });
    tokens.managerA = await issuer.token({ sub: 'mgr-a', name: '王经理', roles: ['finance-manager'] });
    tokens.managerB = await issuer.token({ sub: 'mgr-b', name: '李经理', roles: ['finance-manager'] });
    tokens.auditor = await issuer.token({ sub: 'auditor-1', name: 'Audrey Auditor', roles: ['auditor'] });
    await mismatch(main, 'SZ01');
    await mismatch(selfish, 'SZ01');
    await mismatch(buyerRejects, 'BJ01');
    await mismatch(expires, 'BJ01');
    // our copy says 5000.01 while the authority's original is 5000.00: the authority refuses the form
    await mismatch(tooMuch, 'SZ01', LEDGER);
  });
  afterAll(async () => {
    await h?.stop();
    await issuer?.close();
    await sandbox?.close();
  });

  it("proposes a red-letter form for each mismatch (reason 01, the authority's amounts) and keeps the finding remediating", async () => {
    const c = await correctionOf(main);
    expect(c).toMatchObject({
      state: 'proposed',
      reasonCode: '01',
      original: { code: null, number: main.number },
      amount: '4483.22',
      taxAmount: '516.78',
      totalAmount: '5000.00',
      reissue: false,
      proposedBy: { kind: 'service', subject: 'reconcile' },
      form: null,
    });
    expect((await finding(main)).state).toBe('remediating');
    expect((await findingTrail(main)).map((t) => t.action)).toEqual(['correction-proposed']);
    const proposed = await as(tokens.managerA).get(`/v1/corrections?state=proposed&taxNo=${TAX_NO}`);
    expect(proposed.body.items.map((i: Json) => i.invoiceKey).sort()).toEqual(
      [main, selfish, buyerRejects, expires, tooMuch].map((i) => i.number).sort(),
    );
    // nothing reaches the authority before an approval
    expect(await submitter.tick()).toEqual({ claimed: 0, created: 0, found: 0, refused: 0, failed: 0 });
  });

  it('keeps decisions to finance managers, and corrections to the branches of the caller', async () => {
    const c = await correctionOf(main);
    expect((await as(tokens.clerkSz).post(`/v1/corrections/${c.id}/approve`)).status).toBe(403);
    expect((await as(tokens.auditor).post(`/v1/corrections/${c.id}/reject`, { reason: 'no' })).status).toBe(
      403,
    );
    expect((await as(tokens.auditor).get(`/v1/corrections/${c.id}`)).status).toBe(200);
    const other = await as(tokens.clerkBj).get(`/v1/corrections/${c.id}`);
    expect([other.status, other.body.error?.code]).toEqual([404, 'CORRECTION_NOT_FOUND']);
    const unknown = await as(tokens.managerA).get(`/v1/corrections/${randomUUID()}`);
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'CORRECTION_NOT_FOUND']);
    const listed = await as(tokens.clerkBj).get('/v1/corrections');
    expect(listed.body.items.map((i: Json) => i.invoiceKey).sort()).toEqual(
      [buyerRejects.number, expires.number].sort(),
    );
    expect((await as(tokens.managerA).get('/v1/corrections?state=nonsense')).status).toBe(400);
    const missing = await as(tokens.managerA).post(`/v1/corrections/${c.id}/reject`, {});
    expect([missing.status, missing.body.error?.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it("approved by a manager, is entered once even when the authority's answer is lost (looked up, not entered again)", async () => {
    const c = await correctionOf(main);
    const approved = await as(tokens.managerA).post(`/v1/corrections/${c.id}/approve`, {
      reason: 'amounts checked with the buyer',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decidedBy: { kind: 'person', subject: 'mgr-a', name: '王经理' },
    });
    sandbox.control.setFaults('authority', {
      operations: ['red-form'],
      responseLost: { invoiceKeys: [main.number] },
    });
    expect(await submitter.tick()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await listForms(main)).toHaveLength(1); // the authority did enter it
    expect((await correctionOf(main)).state).toBe('approved');
    sandbox.control.clearFaults('authority');
    expect(await submitter.tick()).toMatchObject({ claimed: 0 }); // not before its backoff
    clock.advance(MIN);
    expect(await submitter.tick()).toEqual({ claimed: 1, created: 0, found: 1, refused: 0, failed: 0 });
    const forms = await listForms(main);
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatchObject({
      requestNo: c.id,
      state: '02',
      amount: '-4483.22',
      taxAmount: '-516.78',
      reason: '01',
    });
    const view = (await as(tokens.managerA).get(`/v1/corrections/${c.id}`)).body;
    expect(view).toMatchObject({
      state: 'submitted',
      form: { formId: forms[0].formId, state: '02' },
      submission: { state: 'done', attempts: 2 },
    });
    expect(view.history.map((e: Json) => [e.action, e.actor.name])).toEqual([
      ['proposed', 'reconcile'],
      ['approved', '王经理'],
      ['submit-failed', 'reconcile'],
      ['submitted-found', 'reconcile'],
    ]);
    expect(view.formHistory.map((e: Json) => [e.fromState, e.toState])).toEqual([[null, '02']]);
    const audit = await h.query<{ action: string; actor_name: string }>(
      `SELECT action, actor_name FROM audit_log WHERE target_type = 'correction' AND target_id = $1 ORDER BY id`,
      [c.id],
    );
    expect(audit.map((a) => [a.action, a.actor_name])).toEqual([
      ['correction.approve', '王经理'],
      ['correction.submit', 'reconcile'],
    ]);
    expect((await as(tokens.managerB).post(`/v1/corrections/${c.id}/approve`)).body.error?.code).toBe(
      'CORRECTION_NOT_PENDING',
    );
  });

  it('follows the buyer’s confirmation (02 → 04) to the red invoice, which resolves the finding', async () => {
    const c = await correctionOf(main);
    const formId = c.form.formId as string;
    // the seller may not confirm its own form; the buyer does
    expect(sandbox.control.actOnRedForm(formId, 'seller', 'confirm')).toMatchObject({
      ok: false,
      code: '3103',
    });
    expect(sandbox.control.actOnRedForm(formId, 'buyer', 'confirm')).toMatchObject({
      ok: true,
      form: { state: '04' },
    });
    clock.advance(15 * MIN);
    expect(await tracker.tick()).toMatchObject({ transitions: 1, escalated: 0, resolved: 0 });
    expect((await correctionOf(main)).state).toBe('confirmed');
    expect((await finding(main)).state).toBe('remediating');
    const red = await issueRed(main, formId);
    clock.advance(HOUR);
    expect(await tracker.tick()).toMatchObject({ resolved: 1 });
    expect(await correctionOf(main)).toMatchObject({ state: 'completed', redInvoiceKey: red });
    expect(await finding(main)).toEqual({
      state: 'resolved',
      explanation: `Invoice ${main.number} was corrected: red invoice ${red} reversed it at the authority with red-letter confirmation form ${formId}, so the mismatch is settled.`,
    });
    expect((await findingTrail(main)).map((t) => [t.action, t.actor_name, t.to_state])).toEqual([
      ['correction-proposed', 'reconcile', 'remediating'],
      ['correction-approved', '王经理', 'remediating'],
      ['red-form', 'reconcile', 'remediating'],
      ['red-form', 'reconcile', 'remediating'],
      ['red-invoice', 'reconcile', 'resolved'],
    ]);
  });

  it('refuses self-approval; a person’s proposal replaces the pending one; another manager rejects it and the finding is escalated', async () => {
    const automatic = await correctionOf(selfish);
    const tooLarge = await as(tokens.managerA).post('/v1/corrections', {
      findingId: findings[selfish.number],
      reasonCode: '04',
      amount: '4483.22',
      taxAmount: '516.79',
      note: 'allowance',
    });
    expect([tooLarge.status, tooLarge.body.error?.code]).toEqual([400, 'CORRECTION_EXCEEDS_REMAINING']);
    const proposed = await as(tokens.managerA).post('/v1/corrections', {
      findingId: findings[selfish.number],
      reasonCode: '04',
      amount: '1000.00',
      taxAmount: '130.00',
      note: 'the buyer was granted an allowance',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      state: 'proposed',
      attempt: 2,
      totalAmount: '1130.00',
      proposedBy: { kind: 'person', subject: 'mgr-a' },
    });
    expect((await as(tokens.managerA).get(`/v1/corrections/${automatic.id}`)).body.state).toBe('withdrawn');
    const self = await as(tokens.managerA).post(`/v1/corrections/${proposed.body.id}/approve`);
    expect([self.status, self.body.error?.code]).toEqual([403, 'SELF_APPROVAL']);
    const rejected = await as(tokens.managerB).post(`/v1/corrections/${proposed.body.id}/reject`, {
      reason: 'the allowance was never agreed',
    });
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      decidedBy: { subject: 'mgr-b' },
      decisionReason: 'the allowance was never agreed',
    });
    expect(await finding(selfish)).toEqual({
      state: 'escalated',
      explanation: `Invoice ${selfish.number} still differs from the authority's record: 李经理 rejected the red-letter correction proposed by 王经理 (reversing 1130.00) because the allowance was never agreed; a person must decide how to correct it.`,
    });
    const again = await as(tokens.managerB).post(`/v1/corrections/${proposed.body.id}/approve`);
    expect([again.status, again.body.error?.code]).toEqual([409, 'CORRECTION_NOT_PENDING']);
    expect((await submitter.tick()).claimed).toBe(0);
    expect(await listForms(selfish)).toEqual([]);
    const announced = () =>
      h.findings.messages
        .map((e) => JSON.parse(e.value ?? '{}').data as Json)
        .filter((d) => d.findingId === findings[selfish.number]);
    await pollUntil(announced, (a) => a.length > 0, { timeoutMs: 15_000, what: 'the escalation event' });
    expect(announced()).toEqual([
      expect.objectContaining({ state: 'escalated', previousState: 'remediating' }),
    ]);
  });

  it('escalates with a sentence when the buyer rejects the form, or leaves it unconfirmed for 72 hours', async () => {
    for (const i of [buyerRejects, expires])
      expect(
        (await as(tokens.managerB).post(`/v1/corrections/${(await correctionOf(i)).id}/approve`)).status,
      ).toBe(200);
    expect(await submitter.tick()).toMatchObject({ claimed: 2, created: 2 });
    const rejectedForm = (await correctionOf(buyerRejects)).form.formId as string;
    expect(sandbox.control.actOnRedForm(rejectedForm, 'buyer', 'reject')).toMatchObject({
      ok: true,
      form: { state: '05' },
    });
    sandbox.control.advanceClock(72 * HOUR);
    clock.advance(15 * MIN);
    expect(await tracker.tick()).toMatchObject({ escalated: 2 });
    expect(await finding(buyerRejects)).toMatchObject({ state: 'escalated' });
    expect((await finding(buyerRejects)).explanation).toContain(
      `form ${rejectedForm} was rejected by the buyer (state 05)`,
    );
    expect((await finding(expires)).explanation).toContain(
      'expired because the other party did not confirm it within 72 hours (state 07)',
    );
    expect((await correctionOf(expires)).state).toBe('void');
  });

  it('records the authority’s refusal of an amount above the original’s remainder (3105) and escalates the finding', async () => {
    const c = await correctionOf(tooMuch);
    expect(c.totalAmount).toBe('5000.01');
    await as(tokens.managerB).post(`/v1/corrections/${c.id}/approve`);
    expect(await submitter.tick()).toMatchObject({ claimed: 1, refused: 1 });
    const view = (await as(tokens.managerB).get(`/v1/corrections/${c.id}`)).body;
    expect(view).toMatchObject({ state: 'refused', form: null });
    expect(view.submission.lastError).toContain('AUTHORITY_RED_FORM_AMOUNT_EXCEEDS_REMAINING');
    expect(await finding(tooMuch)).toMatchObject({ state: 'escalated' });
    expect((await finding(tooMuch)).explanation).toContain(
      'the authority refused the approved red-letter form (AUTHORITY_RED_FORM_AMOUNT_EXCEEDS_REMAINING',
    );
    expect(await listForms(tooMuch)).toEqual([]);
  });
});
