import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '../../sandbox/src';
import { ManualClock, SystemClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { AUTHORITY_PATHS, RedFormView, signAuthorityRequest } from '@lib/protocols';
import { AuthorityRedFormsReader } from '@lib/providers';
import { digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { FindingEventsPublisher } from '../src/findings/finding-events.publisher';
import { FindingsRepository } from '../src/findings/findings.repository';
import { CorrectionRequestsRepository } from '../src/remediation/correction-requests.repository';
import { CorrectionTrackerService } from '../src/remediation/correction-tracker.service';
import { ReconcileDb } from './support/reconcile-db';
import { Seed } from './support/seed';

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const invoice = (n: number): Invoice =>
  digitalSpecialInvoice({ number: `254420000003000000${String(n).padStart(2, '0')}`, issuedAt: '2026-10-10T10:00:00+08:00' });

/**
 * Correction requests tracked through the authority's red-letter confirmation forms (the real reader of
 * libs/providers against the in-process sandbox): a form is found by its original invoice, every state it
 * passes through is recorded, a form that expires (07) or is rejected (05) escalates its finding with a
 * sentence saying so, a confirmed one (04) leaves the finding to the next run's auto-resolution.
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

  const authority = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ code: string; data: T }> => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = signAuthorityRequest({ ...DEV_CREDENTIALS.authority, method, pathAndQuery: path, body: text });
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
  const request = async (key: string) =>
    (await db.query<{ form_id: string | null; form_state: string | null; status: string }>(
      'SELECT form_id, form_state, status FROM correction_requests WHERE invoice_key = $1',
      [key],
    ))[0];
  const events = () =>
    db.query<{ payload: string }>(`SELECT payload FROM outbox WHERE topic = 'reconcile.findings.v1' ORDER BY id`).then((rows) =>
      rows.map((r) => JSON.parse(r.payload).data as { findingId: string; state: string; previousState: string | null; explanation: string }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ logLevel: 'silent', seed: 'reconcile-red-forms', authority: { visibilityLagMs: 0 } });
    sandbox.control.seedRecords([expiring, rejected, confirmed].map((i) => ({ invoice: i })));
    await db.start();
    reader = new AuthorityRedFormsReader(
      { baseURL: sandbox.urls.authority, appId: DEV_CREDENTIALS.authority.appId, appSecret: DEV_CREDENTIALS.authority.appSecret, timeoutMs: 2_000 },
      new SystemClock(),
    );
    tracker = new CorrectionTrackerService(
      db.dataSource,
      new CorrectionRequestsRepository(),
      new FindingsRepository(),
      new FindingEventsPublisher(db.kafka),
      reader,
      { enabled: false, pollMs: 1_000, pendingCheckMs: 15 * 60_000, confirmedCheckMs: 60 * 60_000, batchSize: 50 },
      clock,
    );
    // Our ledger says 5000.00, the authority 5000.01: three amount mismatches, each with a correction request.
    const run = await db.newRun(PERIOD, TAX_NO);
    for (const i of [expiring, rejected, confirmed]) {
      await seed.ledger({ key: i.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' });
      await seed.staged(run, { key: i.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.79', totalAmount: '5000.01' });
    }
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
  });
  afterAll(async () => {
    reader?.shutdown();
    await db.stop();
    await sandbox?.close();
  });

  it('waits for a form while none was entered, without touching the findings', async () => {
    expect(await tracker.tick()).toEqual({ checked: 3, transitions: 0, escalated: 0, failed: 0 });
    expect(await request(expiring.number)).toEqual({ form_id: null, form_state: null, status: 'requested' });
    // read again only after the pending interval
    expect((await tracker.tick()).checked).toBe(0);
  });

  it('finds each form by its original invoice once entered, and records its state', async () => {
    for (const i of [expiring, rejected, confirmed]) forms[i.number] = await enterForm(i);
    clock.advance(16 * 60_000);
    expect(await tracker.tick()).toEqual({ checked: 3, transitions: 3, escalated: 0, failed: 0 });
    expect(await request(expiring.number)).toEqual({ form_id: forms[expiring.number], form_state: '02', status: 'submitted' });
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
    clock.advance(16 * 60_000);
    const before = (await events()).length;
    expect(await tracker.tick()).toEqual({ checked: 3, transitions: 3, escalated: 2, failed: 0 });
    expect(await finding(expiring.number)).toMatchObject({
      state: 'escalated',
      explanation: `Invoice ${expiring.number} still differs from the authority's record and its red-letter confirmation form ${forms[expiring.number]} expired because the other party did not confirm it within 72 hours (state 07), so no red invoice can be issued with it; a person must agree the correction with the buyer and enter a new form.`,
    });
    expect((await finding(rejected.number)).explanation).toContain(`form ${forms[rejected.number]} was rejected by the buyer (state 05)`);
    expect(await finding(confirmed.number)).toMatchObject({ state: 'remediating' });
    expect(await request(confirmed.number)).toMatchObject({ form_state: '04', status: 'confirmed' });
    expect(await request(rejected.number)).toMatchObject({ form_state: '05', status: 'cancelled' });
    const escalated = (await events()).slice(before);
    expect(escalated.map((e) => [e.findingId, e.previousState, e.state]).sort()).toEqual(
      [[(await finding(expiring.number)).id, 'remediating', 'escalated'], [(await finding(rejected.number)).id, 'remediating', 'escalated']].sort(),
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

  it('reads again without recording anything when nothing changed; a void form is not read again', async () => {
    clock.advance(2 * 3_600_000);
    const [history, messages] = [await db.query('SELECT COUNT(*)::int AS n FROM finding_history'), (await events()).length];
    expect(await tracker.tick()).toEqual({ checked: 1, transitions: 0, escalated: 0, failed: 0 });
    expect(await db.query('SELECT COUNT(*)::int AS n FROM finding_history')).toEqual(history);
    expect((await events()).length).toBe(messages);
  });

  it('keeps the escalation sentence on the next run, and resolves the confirmed one once the red invoice removed the mismatch', async () => {
    const run = await db.newRun(PERIOD, TAX_NO);
    for (const i of [expiring, rejected]) {
      await seed.staged(run, { key: i.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.79', totalAmount: '5000.01' });
    }
    // the red invoice reversed the confirmed one on both sides: the amounts agree again
    await seed.staged(run, { key: confirmed.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' });
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
    expect((await finding(expiring.number)).explanation).toMatch(/expired because the other party did not confirm it within 72 hours/);
    expect(await finding(confirmed.number)).toMatchObject({ state: 'resolved' });
    clock.advance(2 * 3_600_000);
    expect((await tracker.tick()).checked).toBe(0);
  });

  it('leaves every request to the next round while the authority is unavailable', async () => {
    const run = await db.newRun(PERIOD, TAX_NO);
    const fourth = invoice(4);
    sandbox.control.seedRecords([{ invoice: fourth }]);
    await seed.ledger({ key: fourth.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.78', totalAmount: '5000.00' });
    await seed.staged(run, { key: fourth.number, type: 'DIGITAL_SPECIAL', amount: '4483.22', taxAmount: '516.79', totalAmount: '5000.01' });
    await db.compare(run, PERIOD, clock.now(), true, TAX_NO);
    sandbox.control.setFaults('authority', { outage: { durationMs: 60_000, retryAfterSeconds: 1 } });
    try {
      expect(await tracker.tick()).toMatchObject({ checked: 1, failed: 1, escalated: 0 });
      const row = (await db.query<{ status: string; last_error: string | null }>('SELECT status, last_error FROM correction_requests WHERE invoice_key = $1', [fourth.number]))[0];
      expect(row.status).toBe('requested');
      expect(row.last_error).toMatch(/unavailable|SERVICE_UNAVAILABLE/i);
    } finally {
      sandbox.control.clearFaults('authority');
    }
  });
});
