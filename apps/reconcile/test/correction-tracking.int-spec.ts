import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock, SystemClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { AUTHORITY_PATHS, RedFormView, signAuthorityRequest } from '@lib/protocols';
import { AuthorityRedFormsReader } from '@lib/providers';
import { digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { FindingsRepository } from '../src/findings/findings.repository';
import { CorrectionRequestsRepository } from '../src/remediation/correction-requests.repository';
import { CorrectionTrackerService } from '../src/remediation/correction-tracker.service';
import { ReconcileDb } from './support/reconcile-db';
import { Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const AGREE = { amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' };
const DIFFER = { amount: '4483.22', taxAmount: '516.79', totalAmount: '5000.01' };
const MIN = 60_000;
const at = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00.000Z`);
const invoice = (n: number): Invoice =>
  digitalSpecialInvoice({
    number: `254420000003000000${String(n).padStart(2, '0')}`,
    issuedAt: '2026-10-10T10:00:00+08:00',
  });

/**
 * Correction requests tracked through the authority's red-letter confirmation forms (the real reader of
 * libs/providers against the in-process sandbox): a form is found by its original invoice, every state it
 * passes through is recorded, a form that expires (07) or is rejected (05) escalates its finding with a
 * sentence saying so, a confirmed one (04) leaves the finding to the next run's auto-resolution. A new form
 * entered after an escalation is followed by a new request; a finding resolved and reopened starts a new
 * request too, the earlier one kept with its form history; a finding never has two active requests. The
 * intervals are the settings' (10 min pending, 50 min confirmed, 30 min escalated; not the defaults).
 */
describe('correction tracking through red-letter forms (sandbox authority, real PostgreSQL)', () => {
  const [expiring, rejected, confirmed] = [invoice(1), invoice(2), invoice(3)];
  const TAX_NO = expiring.sellerTaxNo;
  const db = new ReconcileDb();
  const seed = new Seed(db, TAX_NO);
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  let sandbox: RunningSandbox;
  let reader: AuthorityRedFormsReader;
  let tracker: CorrectionTrackerService;
  const forms: Record<string, string> = {};

  const authority = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ code: string; data: T }> => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = signAuthorityRequest({
      ...DEV_CREDENTIALS.authority,
      method,
      pathAndQuery: path,
      body: text,
    });
    const response = await fetch(`${sandbox.urls.authority}${path}`, {
      method,
      headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text || undefined,
    });
    return (await response.json()) as { code: string; data: T };
  };
  const enterForm = async (original: Invoice): Promise<string> => {
    const answer = await authority<RedFormView>('POST', AUTHORITY_PATHS.redForms(TAX_NO), {
      original: { code: null, number: original.number },
      reason: '01',
      amount: `-${original.amount}`,
      taxAmount: `-${original.taxAmount}`,
    });
    expect(answer).toMatchObject({ code: '0000', data: { state: '02' } });
    return answer.data.formId;
  };
  const finding = async (key: string) =>
    (
      await db.query<{ id: string; state: string; explanation: string }>(
        `SELECT id, state, explanation FROM findings WHERE type = 'AMOUNT_MISMATCH' AND subject = $1`,
        [key],
      )
    )[0];
  /** The finding's latest request. */
  const request = async (key: string) =>
    (
      await db.query<{ form_id: string | null; form_state: string | null; status: string }>(
        'SELECT form_id, form_state, status FROM correction_requests WHERE invoice_key = $1 ORDER BY attempt DESC LIMIT 1',
        [key],
      )
    )[0];
  /** Every request of the finding, oldest first. */
  const requests = (key: string) =>
    db.query<{
      attempt: number;
      form_id: string | null;
      form_state: string | null;
      status: string;
      next_check_at: Date | null;
    }>(
      'SELECT attempt, form_id, form_state, status, next_check_at FROM correction_requests WHERE invoice_key = $1 ORDER BY attempt',
      [key],
    );
  const formTrail = (key: string) =>
    db.query<{ attempt: number; form_id: string; from_state: string | null; to_state: string }>(
      `SELECT h.attempt, h.form_id, h.from_state, h.to_state FROM correction_form_history h JOIN findings f ON f.id = h.finding_id
        WHERE f.subject = $1 ORDER BY h.id`,
      [key],
    );
  const findingHistory = (key: string) =>
    db.query<{ action: string; from_state: string | null; to_state: string; reason: string | null }>(
      `SELECT h.action, h.from_state, h.to_state, h.reason FROM finding_history h JOIN findings f ON f.id = h.finding_id
        WHERE f.subject = $1 AND f.type = 'AMOUNT_MISMATCH' ORDER BY h.id`,
      [key],
    );
  /** A complete run that pulled these records (every ledger invoice must be among them, or it is missing at the authority). */
  const reconcile = async (authority: [Invoice, typeof AGREE][]) => {
    const run = await db.newRun(PERIOD, TAX_NO);
    for (const [i, money] of authority)
      await seed.staged(run, { key: i.number, type: 'DIGITAL_SPECIAL', ...money });
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
  };
  const round = (
    r: Partial<
      Record<'checked' | 'transitions' | 'escalated' | 'resumed' | 'closed' | 'resolved' | 'failed', number>
    >,
  ) => ({
    checked: 0,
    transitions: 0,
    escalated: 0,
    resumed: 0,
    closed: 0,
    resolved: 0,
    failed: 0,
    ...r,
  });
  const events = () =>
    db
      .query<{ payload: string }>(
        `SELECT payload FROM outbox WHERE topic = 'reconcile.findings.v1' ORDER BY id`,
      )
      .then((rows) =>
        rows.map(
          (r) =>
            JSON.parse(r.payload).data as {
              findingId: string;
              state: string;
              previousState: string | null;
              explanation: string;
            },
        ),
      );

  beforeAll(async () => {
    sandbox = await startSandbox({
      logLevel: 'silent',
      seed: 'reconcile-red-forms',
      authority: { visibilityLagMs: 0 },
    });
    sandbox.control.seedRecords([expiring, rejected, confirmed].map((i) => ({ invoice: i })));
    await db.start();
    reader = new AuthorityRedFormsReader(
      {
        baseURL: sandbox.urls.authority,
        appId: DEV_CREDENTIALS.authority.appId,
        appSecret: DEV_CREDENTIALS.authority.appSecret,
        timeoutMs: 2_000,
      },
      new SystemClock(),
    );
    tracker = new CorrectionTrackerService(
      db.dataSource,
      new CorrectionRequestsRepository(),
      new FindingsRepository(),
      db.findingEvents(),
      reader,
      {
        enabled: false,
        pollMs: 1_000,
        pendingCheckMs: 10 * MIN,
        confirmedCheckMs: 50 * MIN,
        escalatedCheckMs: 30 * MIN,
        batchSize: 50,
      },
      clock,
    );
    // Our ledger says 5000.00, the authority 5000.01: three amount mismatches, each with a correction request.
    const run = await db.newRun(PERIOD, TAX_NO);
    for (const i of [expiring, rejected, confirmed]) {
      await seed.ledger({
        key: i.number,
        type: 'DIGITAL_SPECIAL',
        amount: '4483.22',
        taxAmount: '516.78',
        totalAmount: '5000.00',
      });
      await seed.staged(run, {
        key: i.number,
        type: 'DIGITAL_SPECIAL',
        amount: '4483.22',
        taxAmount: '516.79',
        totalAmount: '5000.01',
      });
    }
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
  });
  afterAll(async () => {
    reader?.shutdown();
    await db.stop();
    await sandbox?.close();
  });

  it('waits for a form while none was entered, without touching the findings, and reads again after the pending interval', async () => {
    expect(await tracker.tick()).toEqual(round({ checked: 3 }));
    expect(await requests(expiring.number)).toEqual([
      { attempt: 1, form_id: null, form_state: null, status: 'requested', next_check_at: at('02:10') },
    ]);
    expect(await tracker.tick()).toEqual(round({}));
    clock.advance(9 * MIN);
    expect(await tracker.tick()).toEqual(round({}));
  });

  it('finds each form by its original invoice once entered, and records its state', async () => {
    for (const i of [expiring, rejected, confirmed]) forms[i.number] = await enterForm(i);
    clock.advance(2 * MIN); // 02:11
    expect(await tracker.tick()).toEqual(round({ checked: 3, transitions: 3 }));
    expect(await request(expiring.number)).toEqual({
      form_id: forms[expiring.number],
      form_state: '02',
      status: 'submitted',
    });
    expect((await finding(expiring.number)).state).toBe('remediating');
    const history = await db.query<{ action: string; from_state: string; to_state: string; reason: string }>(
      `SELECT h.action, h.from_state, h.to_state, h.reason FROM finding_history h JOIN findings f ON f.id = h.finding_id
        WHERE f.subject = $1 ORDER BY h.id`,
      [expiring.number],
    );
    expect(history.at(-1)).toEqual({
      action: 'red-form',
      from_state: 'remediating',
      to_state: 'remediating',
      reason: `red-letter confirmation form ${forms[expiring.number]} is now 02: it was entered by the seller and awaits the buyer's confirmation`,
    });
  });

  it('escalates the finding whose form expired (07) or was rejected (05), and keeps the confirmed one (04) remediating', async () => {
    sandbox.control.forceRedFormState(forms[rejected.number], '05');
    sandbox.control.forceRedFormState(forms[confirmed.number], '04');
    sandbox.control.advanceClock(73 * 3_600_000); // the unconfirmed form turns 07 after 72 h
    clock.advance(10 * MIN); // 02:21
    const before = (await events()).length;
    expect(await tracker.tick()).toEqual(round({ checked: 3, transitions: 3, escalated: 2 }));
    expect(await finding(expiring.number)).toMatchObject({
      state: 'escalated',
      explanation: `Invoice ${expiring.number} still differs from the authority's record and its red-letter confirmation form ${forms[expiring.number]} expired because the other party did not confirm it within 72 hours (state 07), so no red invoice can be issued with it; a person must agree the correction with the buyer and enter a new form.`,
    });
    expect((await finding(rejected.number)).explanation).toContain(
      `form ${forms[rejected.number]} was rejected by the buyer (state 05)`,
    );
    expect(await finding(confirmed.number)).toMatchObject({ state: 'remediating' });
    expect(await request(confirmed.number)).toMatchObject({ form_state: '04', status: 'confirmed' });
    expect(await request(rejected.number)).toMatchObject({ form_state: '05', status: 'cancelled' });
    // the confirmed one is read again after the confirmed interval, the escalated ones after the escalated interval
    expect((await requests(confirmed.number))[0].next_check_at).toEqual(at('03:11'));
    expect((await requests(rejected.number))[0].next_check_at).toEqual(at('02:51'));
    const escalated = (await events()).slice(before);
    expect(escalated.map((e) => [e.findingId, e.previousState, e.state]).sort()).toEqual(
      [
        [(await finding(expiring.number)).id, 'remediating', 'escalated'],
        [(await finding(rejected.number)).id, 'remediating', 'escalated'],
      ].sort(),
    );
    const trail = await db.query<{ from_state: string | null; to_state: string }>(
      'SELECT from_state, to_state FROM correction_form_history WHERE form_id = $1 ORDER BY id',
      [forms[expiring.number]],
    );
    expect(trail).toEqual([
      { from_state: null, to_state: '02' },
      { from_state: '02', to_state: '07' },
    ]);
  });

  it('reads again without recording anything when nothing changed; an escalated finding only looks for a new form', async () => {
    const [history, messages] = [
      await db.query('SELECT COUNT(*)::int AS n FROM finding_history'),
      (await events()).length,
    ];
    clock.advance(30 * MIN); // 02:51: the two escalated ones, in the taxpayer's list (no new form there)
    expect(await tracker.tick()).toEqual(round({ checked: 2 }));
    clock.advance(20 * MIN); // 03:11: the confirmed one
    expect(await tracker.tick()).toEqual(round({ checked: 1 }));
    expect(await db.query('SELECT COUNT(*)::int AS n FROM finding_history')).toEqual(history);
    expect((await events()).length).toBe(messages);
    expect(await formTrail(rejected.number)).toHaveLength(2);
    expect((await requests(rejected.number))[0]).toMatchObject({
      status: 'cancelled',
      next_check_at: at('03:21'),
    });
  });

  it('keeps the escalation sentence on the next run, and resolves the confirmed one once the red invoice removed the mismatch', async () => {
    // the red invoice reversed the confirmed one on both sides: the amounts agree again
    await reconcile([
      [expiring, DIFFER],
      [rejected, DIFFER],
      [confirmed, AGREE],
    ]);
    expect((await finding(expiring.number)).explanation).toMatch(
      /expired because the other party did not confirm it within 72 hours/,
    );
    expect(await finding(confirmed.number)).toMatchObject({ state: 'resolved' });
    clock.advance(2 * 3_600_000); // 05:11
    // the resolved finding's request is closed, not read; the escalated ones look for a new form
    expect(await tracker.tick()).toEqual(round({ checked: 2, closed: 1 }));
    expect(await requests(confirmed.number)).toEqual([
      {
        attempt: 1,
        form_id: forms[confirmed.number],
        form_state: '04',
        status: 'closed',
        next_check_at: null,
      },
    ]);
    expect(await tracker.tick()).toEqual(round({}));
  });

  it('follows a new form entered after the escalation: a new request, and the finding back in remediation', async () => {
    const renewed = await enterForm(rejected);
    clock.advance(29 * MIN); // 05:40: the escalated ones are looked at every 30 min
    expect(await tracker.tick()).toEqual(round({}));
    clock.advance(MIN);
    const before = (await events()).length;
    expect(await tracker.tick()).toEqual(round({ checked: 2, transitions: 1, resumed: 1 }));
    const explanation = `Invoice ${rejected.number} still differs from the authority's record; a new red-letter confirmation form ${renewed} was entered after form ${forms[rejected.number]} became void, and it was entered by the seller and awaits the buyer's confirmation (state 02); the correction is followed again.`;
    expect(await finding(rejected.number)).toMatchObject({ state: 'remediating', explanation });
    expect(await requests(rejected.number)).toEqual([
      {
        attempt: 1,
        form_id: forms[rejected.number],
        form_state: '05',
        status: 'cancelled',
        next_check_at: null,
      },
      { attempt: 2, form_id: renewed, form_state: '02', status: 'submitted', next_check_at: at('05:51') },
    ]);
    expect(await formTrail(rejected.number)).toEqual([
      { attempt: 1, form_id: forms[rejected.number], from_state: null, to_state: '02' },
      { attempt: 1, form_id: forms[rejected.number], from_state: '02', to_state: '05' },
      { attempt: 2, form_id: renewed, from_state: null, to_state: '02' },
    ]);
    expect((await findingHistory(rejected.number)).at(-1)).toEqual({
      action: 'red-form',
      from_state: 'escalated',
      to_state: 'remediating',
      reason: `red-letter confirmation form ${renewed} is now 02: it was entered by the seller and awaits the buyer's confirmation`,
    });
    expect((await events()).slice(before)).toEqual([
      expect.objectContaining({
        findingId: (await finding(rejected.number)).id,
        previousState: 'escalated',
        state: 'remediating',
        explanation,
      }),
    ]);
    // the other escalated finding has no new form: still escalated, looked at again in 30 min
    expect(await finding(expiring.number)).toMatchObject({ state: 'escalated' });
    expect((await requests(expiring.number)).map((r) => r.next_check_at)).toEqual([at('06:11')]);
    forms.renewed = renewed;
  });

  it('keeps one active request per finding through the next run, and follows the new form to its confirmation', async () => {
    const followed = (await finding(rejected.number)).explanation;
    await reconcile([
      [expiring, DIFFER],
      [rejected, DIFFER],
      [confirmed, AGREE],
    ]);
    // the run keeps the tracker's sentence (where the new form stands) rather than the generic one
    expect(await finding(rejected.number)).toMatchObject({ state: 'remediating', explanation: followed });
    expect(followed).toMatch(
      /a new red-letter confirmation form HZ\d+ was entered after form HZ\d+ became void/,
    );
    expect((await requests(rejected.number)).map((r) => [r.attempt, r.status])).toEqual([
      [1, 'cancelled'],
      [2, 'submitted'],
    ]);
    sandbox.control.forceRedFormState(forms.renewed, '04');
    clock.advance(10 * MIN); // 05:51
    expect(await tracker.tick()).toEqual(round({ checked: 1, transitions: 1 }));
    expect(await request(rejected.number)).toEqual({
      form_id: forms.renewed,
      form_state: '04',
      status: 'confirmed',
    });
    expect(await finding(rejected.number)).toMatchObject({ state: 'remediating' });
    expect((await formTrail(rejected.number)).at(-1)).toEqual({
      attempt: 2,
      form_id: forms.renewed,
      from_state: '02',
      to_state: '04',
    });
  });

  it('starts a second request when a resolved finding is reopened; the first stays with its form history', async () => {
    await reconcile([
      [expiring, DIFFER],
      [rejected, DIFFER],
      [confirmed, DIFFER],
    ]);
    expect(await finding(confirmed.number)).toMatchObject({ state: 'remediating' });
    expect(
      (await findingHistory(confirmed.number)).slice(-3).map((h) => [h.action, h.from_state, h.to_state]),
    ).toEqual([
      ['auto-resolve', 'remediating', 'resolved'],
      ['reconcile', 'resolved', 'remediating'],
      // the new request proposes its red-letter form (docs/corrections.md)
      ['correction-proposed', 'remediating', 'remediating'],
    ]);
    expect(await requests(confirmed.number)).toEqual([
      {
        attempt: 1,
        form_id: forms[confirmed.number],
        form_state: '04',
        status: 'closed',
        next_check_at: null,
      },
      { attempt: 2, form_id: null, form_state: null, status: 'requested', next_check_at: null },
    ]);
    // the earlier correction's form (still 04 at the authority) is not the new request's
    expect(await tracker.tick()).toEqual(round({ checked: 1 }));
    expect(await request(confirmed.number)).toEqual({ form_id: null, form_state: null, status: 'requested' });
    // a live form holds its amount of the original: the seller revokes the earlier one (09) before entering another
    const revoked = await authority<RedFormView>(
      'POST',
      AUTHORITY_PATHS.redFormAction(TAX_NO, forms[confirmed.number]),
      {
        action: 'revoke',
      },
    );
    expect(revoked).toMatchObject({ code: '0000', data: { state: '09' } });
    const second = await enterForm(confirmed);
    clock.advance(10 * MIN); // 06:01
    expect(await tracker.tick()).toEqual(round({ checked: 1, transitions: 1 }));
    expect(await requests(confirmed.number)).toEqual([
      {
        attempt: 1,
        form_id: forms[confirmed.number],
        form_state: '04',
        status: 'closed',
        next_check_at: null,
      },
      { attempt: 2, form_id: second, form_state: '02', status: 'submitted', next_check_at: at('06:11') },
    ]);
    expect(await formTrail(confirmed.number)).toEqual([
      { attempt: 1, form_id: forms[confirmed.number], from_state: null, to_state: '02' },
      { attempt: 1, form_id: forms[confirmed.number], from_state: '02', to_state: '04' },
      { attempt: 2, form_id: second, from_state: null, to_state: '02' },
    ]);
  });

  it('closes a request still active when the run reopens its finding, and never lets a finding have two active requests', async () => {
    const fifth = invoice(5);
    await seed.ledger({ key: fifth.number, type: 'DIGITAL_SPECIAL', ...AGREE });
    const others: [Invoice, typeof AGREE][] = [
      [expiring, DIFFER],
      [rejected, DIFFER],
      [confirmed, DIFFER],
    ];
    await reconcile([...others, [fifth, DIFFER]]);
    await reconcile([...others, [fifth, AGREE]]); // resolved, and no tracker round in between
    expect(await finding(fifth.number)).toMatchObject({ state: 'resolved' });
    expect((await requests(fifth.number)).map((r) => r.status)).toEqual(['requested']);
    await reconcile([...others, [fifth, DIFFER]]);
    expect(await requests(fifth.number)).toEqual([
      { attempt: 1, form_id: null, form_state: null, status: 'closed', next_check_at: null },
      { attempt: 2, form_id: null, form_state: null, status: 'requested', next_check_at: null },
    ]);
    const active = await db.query<{ invoice_key: string; n: number }>(
      `SELECT invoice_key, COUNT(*)::int AS n FROM correction_requests WHERE status IN ('requested', 'submitted', 'confirmed')
        GROUP BY invoice_key ORDER BY invoice_key`,
    );
    expect(active).toEqual([rejected, confirmed, fifth].map((i) => ({ invoice_key: i.number, n: 1 })));
    const id = (await finding(fifth.number)).id;
    await expect(
      db.query(
        `INSERT INTO correction_requests (finding_id, attempt, invoice_key, tax_no, kind, status, created_at, updated_at)
         VALUES ($1, 3, $2, $3, 'amount', 'requested', now(), now())`,
        [id, fifth.number, TAX_NO],
      ),
    ).rejects.toThrow(/correction_requests_active/);
  });

  it('leaves every request to the next round while the authority is unavailable', async () => {
    const run = await db.newRun(PERIOD, TAX_NO);
    const fourth = invoice(4);
    sandbox.control.seedRecords([{ invoice: fourth }]);
    await seed.ledger({
      key: fourth.number,
      type: 'DIGITAL_SPECIAL',
      amount: '4483.22',
      taxAmount: '516.78',
      totalAmount: '5000.00',
    });
    await seed.staged(run, {
      key: fourth.number,
      type: 'DIGITAL_SPECIAL',
      amount: '4483.22',
      taxAmount: '516.79',
      totalAmount: '5000.01',
    });
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
    sandbox.control.setFaults('authority', { outage: { durationMs: 60_000, retryAfterSeconds: 1 } });
    try {
      // the run saw none of the others: their findings are resolved and their active requests closed
      expect(await tracker.tick()).toEqual(round({ checked: 1, failed: 1, closed: 3 }));
      const row = (
        await db.query<{ status: string; last_error: string | null }>(
          'SELECT status, last_error FROM correction_requests WHERE invoice_key = $1',
          [fourth.number],
        )
      )[0];
      expect(row.status).toBe('requested');
      expect(row.last_error).toMatch(/unavailable|SERVICE_UNAVAILABLE/i);
    } finally {
      sandbox.control.clearFaults('authority');
    }
  });
});
