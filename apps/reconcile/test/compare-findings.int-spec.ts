import { filingDeadline } from '@lib/domain';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { key, Seed } from './support/seed';

jest.setTimeout(60_000);

type Finding = { type: string; subject: string; state: string; severity: string; explanation: string; remediation_attempts: number; evidence: Record<string, unknown> };

/**
 * The comparison and the findings it produces, on hand-made projection and staged rows in a real
 * PostgreSQL: every finding type with exact counts and explanation text, idempotent re-runs, grace,
 * escalation, auto-resolution and the incomplete-pull rule.
 */
describe('compare + findings (real PostgreSQL, hand-made staged data)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const PERIOD = '2026-10';
  const NOW = new Date('2026-11-20T02:00:00Z');
  const deadline = filingDeadline(PERIOD);
  let run1: string;

  const findings = () =>
    db.query<Finding>(`SELECT type, subject, state, severity, explanation, remediation_attempts, evidence FROM findings WHERE period = $1 ORDER BY type, subject`, [PERIOD]);
  const byType = async () => {
    const counts: Record<string, number> = {};
    for (const f of await findings()) if (f.state !== 'resolved') counts[f.type] = (counts[f.type] ?? 0) + 1;
    return counts;
  };
  const one = async (type: string, subject: string) => (await findings()).find((f) => f.type === type && f.subject === subject);
  const outbox = (topic: string) => db.query<{ payload: string }>('SELECT payload FROM outbox WHERE topic = $1 ORDER BY id', [topic]);

  beforeAll(async () => {
    await db.start();
    run1 = await db.newRun(PERIOD);
    // k1 agrees on both sides.
    await seed.ledger({ key: key(1) });
    await seed.delivery(key(1), 'authority', 'accepted', '2026-10-10T03:00:00Z');
    await seed.staged(run1, { key: key(1) });
    // k2 accepted by the authority on 3 Nov, never visible.
    await seed.ledger({ key: key(2) });
    await seed.delivery(key(2), 'authority', 'accepted', '2026-11-03T02:00:00Z');
    // k3 accepted by Nuonuo 14 hours ago: within the T+1 lag, pending.
    await seed.ledger({ key: key(3) });
    await seed.delivery(key(3), 'nuonuo', 'accepted', '2026-11-19T12:00:00Z');
    // k4 never delivered (sync still trying); k5 dead at the authority.
    await seed.ledger({ key: key(4) });
    await seed.ledger({ key: key(5) });
    await seed.delivery(key(5), 'authority', 'dead', '2026-11-01T00:00:00Z', { errorCode: 'E9500' });
    // k6 only at the authority.
    await seed.staged(run1, { key: key(6), totalAmount: '1130.00', amount: '1000.00', taxAmount: '130.00', issuedAt: '2026-10-12T02:00:00Z' });
    // k7 one fen apart.
    await seed.ledger({ key: key(7) });
    await seed.staged(run1, { key: key(7), totalAmount: '113.01', taxAmount: '13.01' });
    // k8 voided here long ago, normal there; k9 voided 6 hours ago (pending).
    await seed.ledger({ key: key(8), state: 'voided' });
    await seed.staged(run1, { key: key(8) });
    await seed.ledger({ key: key(9), state: 'voided', updatedAt: '2026-11-19T20:00:00Z' });
    await seed.staged(run1, { key: key(9) });
    // k10 issued twice with different totals (and present at the authority).
    await seed.ledger({ key: key(10) });
    await seed.version(key(10), '226.00', '200.00', '26.00');
    await seed.staged(run1, { key: key(10) });
    // dev-1 never cleared for 2026-10; dev-2 failed; dev-3 cleared but its 抄报 counts one invoice too many.
    await seed.clearCard('dev-2', PERIOD, 'failed', '2026-11-05T01:00:00Z', 'CARD_IO');
    await seed.ledger({ key: key(11), deviceId: 'dev-3' });
    await seed.staged(run1, { key: key(11) });
    await seed.clearCard('dev-3', PERIOD, 'succeeded', '2026-11-02T01:00:00Z');
    await seed.report('dev-3', PERIOD, 'DIGITAL_GENERAL', 2, '200.00', '26.00');
    // dev-quiet issued nothing in October but was in service: it must clear too; dev-new appeared in November: it need not.
    await seed.monitor('dev-quiet', '2026-11-19T00:00:00Z', '2027-01-31', { firstSeen: '2026-09-01T00:00:00Z' });
    await seed.monitor('dev-new', '2026-11-19T00:00:00Z', '2027-01-31', { firstSeen: '2026-11-03T00:00:00Z' });
  });
  afterAll(() => db.stop());

  it('finds every problem once, with exact counts and explanations', async () => {
    const result = await db.compare(run1, PERIOD, NOW);
    expect(result.discrepancies).toEqual({
      MISSING_IN_AUTHORITY: 3,
      PENDING_VISIBILITY: 2,
      MISSING_IN_LEDGER: 1,
      AMOUNT_MISMATCH: 1,
      STATUS_MISMATCH: 1,
      DUPLICATE_INVOICE: 1,
      CLEAR_CARD_OVERDUE: 3,
      CLEAR_CARD_FAILED: 1,
      REPORT_TOTALS_MISMATCH: 1,
    });
    expect(await byType()).toEqual({
      MISSING_IN_AUTHORITY: 3,
      MISSING_IN_LEDGER: 1,
      AMOUNT_MISMATCH: 1,
      STATUS_MISMATCH: 1,
      DUPLICATE_INVOICE: 1,
      CLEAR_CARD_OVERDUE: 3,
      CLEAR_CARD_FAILED: 1,
      REPORT_TOTALS_MISMATCH: 1,
    });
    expect(await one('CLEAR_CARD_OVERDUE', 'dev-quiet')).toBeDefined();
    const day = Number(deadline.deadline.slice(8));
    expect((await one('MISSING_IN_AUTHORITY', key(2)))?.explanation).toBe(
      `Invoice ${key(2)} was accepted by the authority on 3 Nov but the authority has no record after 17 days; re-upload requested (attempt 1 of 3).`,
    );
    expect(await one('MISSING_IN_AUTHORITY', key(4))).toMatchObject({
      state: 'open',
      severity: 'warning',
      explanation: `Invoice ${key(4)} has not been delivered to the authority yet (sync is still working on it), so this is not an authority problem.`,
    });
    expect((await one('MISSING_IN_AUTHORITY', key(5)))?.explanation).toBe(
      `Invoice ${key(5)} could not be delivered to the authority (E9500) after 8 attempts; re-upload requested (attempt 1 of 3).`,
    );
    expect((await one('MISSING_IN_LEDGER', key(6)))?.explanation).toBe(
      `Invoice ${key(6)} (1,130.00 yuan, issued 12 Oct) is on record at the authority but not in our ledger; it was back-filled from the authority's record and needs a person to confirm it.`,
    );
    expect(await one('AMOUNT_MISMATCH', key(7))).toMatchObject({
      state: 'remediating',
      explanation: `Invoice ${key(7)} differs from the authority's record (total 113.00 here but 113.01 at the authority, tax 13.00 vs 13.01); a red-letter correction was requested.`,
    });
    expect((await one('STATUS_MISMATCH', key(8)))?.explanation).toBe(
      `Invoice ${key(8)} is voided in our ledger but normal at the authority; a correction was requested.`,
    );
    expect((await one('DUPLICATE_INVOICE', key(10)))?.explanation).toBe(
      `Invoice ${key(10)} has conflicting versions: 2 in our ledger (totals 113.00, 226.00); a person must decide which one is right.`,
    );
    expect((await one('CLEAR_CARD_OVERDUE', 'dev-1'))?.explanation).toBe(
      `Device dev-1 has not cleared its card (清卡) for 2026-10 and the filing deadline of ${day} Nov 2026 has passed.`,
    );
    expect((await one('CLEAR_CARD_FAILED', 'dev-2'))?.explanation).toBe(
      `Device dev-2 failed to clear its card (清卡) for 2026-10 on 5 Nov (CARD_IO: card reader busy); it must clear again before the deadline of ${day} Nov 2026.`,
    );
    expect((await one('REPORT_TOTALS_MISMATCH', 'dev-3:DIGITAL_GENERAL'))?.explanation).toBe(
      "Device dev-3's monthly summary (抄报) for 2026-10 shows 2 invoices totalling 200.00 (tax 26.00) of type DIGITAL_GENERAL, but our ledger has 1 invoice totalling 100.00 (tax 13.00).",
    );
    // remediation: two re-uploads, one back-fill, two correction requests, one event per opened finding
    const commands = (await outbox('sync.commands.v1')).map((o) => JSON.parse(o.payload).data);
    expect(commands.map((c) => `${c.invoiceKey}#${c.attempt}`).sort()).toEqual([`${key(2)}#1`, `${key(5)}#1`]);
    expect(await db.query('SELECT invoice_key, source, backfill_run_id FROM ledger_invoices WHERE source = $1', ['authority'])).toEqual([
      { invoice_key: key(6), source: 'authority', backfill_run_id: run1 },
    ]);
    expect(await db.query('SELECT invoice_key, kind, status FROM correction_requests ORDER BY invoice_key')).toEqual([
      { invoice_key: key(7), kind: 'amount', status: 'requested' },
      { invoice_key: key(8), kind: 'status', status: 'requested' },
    ]);
    const events = (await outbox('reconcile.findings.v1')).map((o) => JSON.parse(o.payload));
    expect(events).toHaveLength(12);
    expect(events.every((e) => e.type === 'reconcile.finding-changed' && e.data.taxNo === TAX_NO && e.data.previousState === null)).toBe(true);
  });

  it('re-running the same scope changes nothing: no duplicate finding, history, event or re-upload', async () => {
    const before = await findings();
    const history = await db.query('SELECT COUNT(*)::int AS n FROM finding_history');
    const messages = await db.query('SELECT COUNT(*)::int AS n FROM outbox');
    const run2 = await db.newRun(PERIOD);
    await seed.restage(run1, run2);
    const result = await db.compare(run2, PERIOD, new Date(NOW.getTime() + 3_600_000));
    expect(result.findings).toMatchObject({ opened: 0, changed: 0, resolved: 0, reuploads: 0, backfilled: 0 });
    expect((await findings()).map(({ evidence: _e, ...f }) => f)).toEqual(before.map(({ evidence: _e, ...f }) => f));
    expect(await db.query('SELECT COUNT(*)::int AS n FROM finding_history')).toEqual(history);
    expect(await db.query('SELECT COUNT(*)::int AS n FROM outbox')).toEqual(messages);
  });

  it('the invoice within its grace period becomes missing once the lag has passed', async () => {
    const run3 = await db.newRun(PERIOD);
    await seed.restage(run1, run3);
    const later = new Date('2026-11-21T03:00:00Z');
    await db.compare(run3, PERIOD, later);
    expect((await one('MISSING_IN_AUTHORITY', key(3)))?.explanation).toBe(
      `Invoice ${key(3)} was accepted by Nuonuo on 19 Nov but the authority has no record after 1 day; re-upload requested (attempt 1 of 3).`,
    );
    // k2's re-upload of yesterday is due again (one lag later): attempt 2
    expect(await one('MISSING_IN_AUTHORITY', key(2))).toMatchObject({ state: 'remediating', remediation_attempts: 2 });
  });

  it('an incomplete pull opens no MISSING_* finding and resolves none', async () => {
    const run4 = await db.newRun(PERIOD);
    await seed.staged(run4, { key: key(1) });
    await seed.ledger({ key: key(12) });
    const result = await db.compare(run4, PERIOD, new Date('2026-11-21T04:00:00Z'), false);
    expect(result.discrepancies.MISSING_IN_AUTHORITY).toBeUndefined();
    expect(result.discrepancies.MISSING_IN_LEDGER).toBeUndefined();
    expect(result.findings.opened).toBe(0);
    expect(await one('MISSING_IN_AUTHORITY', key(12))).toBeUndefined();
    // k7's mismatch was not in this partial pull: it is not judged gone
    expect(await one('AMOUNT_MISMATCH', key(7))).toMatchObject({ state: 'remediating' });
    expect((await byType()).MISSING_IN_AUTHORITY).toBe(4);
  });

  it('escalates after the configured number of re-uploads', async () => {
    let at = new Date('2026-11-22T04:00:00Z').getTime();
    for (let i = 0; i < 2; i += 1) {
      const run = await db.newRun(PERIOD);
      await seed.restage(run1, run);
      await db.compare(run, PERIOD, new Date(at));
      at += 86_400_000;
    }
    const f = await one('MISSING_IN_AUTHORITY', key(2));
    expect(f).toMatchObject({ state: 'escalated', remediation_attempts: 3 });
    expect(f?.explanation).toMatch(/; 3 re-uploads did not help, so it was escalated for a person to check with the tax office\.$/);
    const attempts = (await outbox('sync.commands.v1')).map((o) => JSON.parse(o.payload).data).filter((c) => c.invoiceKey === key(2));
    expect(attempts.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('resolves findings by itself when a later run no longer sees the problem', async () => {
    const run = await db.newRun(PERIOD);
    await seed.restage(run1, run);
    await seed.staged(run, { key: key(2) });
    await db.query(`UPDATE ledger_invoices SET amount = '100.00', tax_amount = '13.01', total_amount = '113.01' WHERE invoice_key = $1`, [key(7)]);
    await seed.clearCard('dev-1', PERIOD, 'succeeded', '2026-11-22T01:00:00Z');
    const result = await db.compare(run, PERIOD, new Date('2026-11-24T05:00:00Z'));
    expect(result.findings.resolved).toBe(3);
    expect(await one('MISSING_IN_AUTHORITY', key(2))).toMatchObject({
      state: 'resolved',
      explanation: `Invoice ${key(2)} no longer shows this problem in the latest reconciliation, so the finding was resolved automatically.`,
    });
    expect(await one('AMOUNT_MISMATCH', key(7))).toMatchObject({ state: 'resolved' });
    expect(await one('CLEAR_CARD_OVERDUE', 'dev-1')).toMatchObject({ state: 'resolved' });
    const history = await db.query<{ from_state: string; to_state: string; action: string }>(
      `SELECT h.from_state, h.to_state, h.action FROM finding_history h JOIN findings f ON f.id = h.finding_id
        WHERE f.type = 'MISSING_IN_AUTHORITY' AND f.subject = $1 ORDER BY h.id`,
      [key(2)],
    );
    expect(history).toEqual([
      { from_state: null, to_state: 'remediating', action: 'open' },
      { from_state: 'remediating', to_state: 'escalated', action: 'reconcile' },
      { from_state: 'escalated', to_state: 'resolved', action: 'auto-resolve' },
    ]);
    const last = (await outbox('reconcile.findings.v1')).map((o) => JSON.parse(o.payload).data).filter((d) => d.state === 'resolved');
    expect(last).toHaveLength(3);
    expect(last.every((d) => d.previousState !== null && d.previousState !== 'resolved')).toBe(true);
  });
});

describe('device limits (current period)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db, '91440300MA5YYYYY2B');
  const PERIOD = '2026-11';
  const NOW = new Date('2026-11-20T02:00:00Z');

  beforeAll(() => db.start());
  afterAll(() => db.stop());

  it('flags a lock within N days and offline use at ≥ 80% of a limit, exactly at the threshold', async () => {
    const at = '2026-11-19T00:00:00Z';
    await seed.monitor('lock-soon', at, '2026-11-25');
    await seed.monitor('lock-later', at, '2026-12-31');
    await seed.monitor('offline-long', at, '2026-12-31', { since: '2026-11-17T14:00:00Z', hours: 72 });
    await seed.monitor('offline-80', at, '2026-12-31', { amount: '8000.00', limit: '10000.00' });
    await seed.monitor('offline-79', at, '2026-12-31', { amount: '7999.99', limit: '10000.00' });
    const run = await db.newRun(PERIOD, '91440300MA5YYYYY2B');
    const result = await db.compare(run, PERIOD, NOW, true, '91440300MA5YYYYY2B');
    expect(result.discrepancies).toEqual({ DEVICE_LOCK_IMMINENT: 1, OFFLINE_LIMIT_NEAR: 2 });
    const rows = await db.query<{ subject: string; explanation: string }>(`SELECT subject, explanation FROM findings ORDER BY type, subject`);
    expect(rows).toEqual([
      { subject: 'lock-soon', explanation: 'Device lock-soon will lock after 25 Nov 2026 (5 days left) unless its data is reported.' },
      {
        subject: 'offline-80',
        explanation: 'Device offline-80 has issued 8,000.00 of its 10,000.00 yuan offline allowance (at least 80% of its limit); connect it before it stops issuing.',
      },
      {
        subject: 'offline-long',
        explanation: 'Device offline-long has been offline for 60 of 72 allowed hours (at least 80% of its limit); connect it before it stops issuing.',
      },
    ]);
  });
});

/**
 * The three-way 抄报 match: with one device in the period, the authority's totals are the device's too, so a
 * summary that agrees with our ledger but not with the authority is reported (with the authority's numbers);
 * with a second device, the authority's totals say nothing about either device.
 */
describe('report totals against the authority (one device)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db, '91440300MA5ZZZZZ3C');
  const PERIOD = '2026-10';
  const NOW = new Date('2026-11-20T02:00:00Z');
  const totals = () =>
    db.query<{ subject: string; explanation: string; evidence: { authority: unknown } }>(
      `SELECT subject, explanation, evidence FROM findings WHERE type = 'REPORT_TOTALS_MISMATCH' AND state <> 'resolved' ORDER BY subject`,
    );
  let run: string;

  beforeAll(async () => {
    await db.start();
    run = await db.newRun(PERIOD, '91440300MA5ZZZZZ3C');
    // solo's ledger and 抄报 agree on two invoices; the authority lists a third one (an invoice we do not have)
    for (const n of [401, 402]) {
      await seed.ledger({ key: key(n), deviceId: 'solo' });
      await seed.staged(run, { key: key(n) });
    }
    await seed.staged(run, { key: key(403) });
    await seed.clearCard('solo', PERIOD, 'succeeded', '2026-11-02T01:00:00Z');
    await seed.report('solo', PERIOD, 'DIGITAL_GENERAL', 2, '200.00', '26.00');
  });
  afterAll(() => db.stop());

  it('reports a summary that matches the ledger but not the authority, with the authority numbers', async () => {
    await db.compare(run, PERIOD, NOW, true, '91440300MA5ZZZZZ3C');
    const [finding, ...others] = await totals();
    expect(others).toEqual([]);
    expect(finding.subject).toBe('solo:DIGITAL_GENERAL');
    expect(finding.evidence.authority).toEqual({ count: 3, amount: '300.00', taxAmount: '39.00' });
    expect(finding.explanation).toBe(
      "Device solo's monthly summary (抄报) for 2026-10 shows 2 invoices totalling 200.00 (tax 26.00) of type DIGITAL_GENERAL, " +
        'but our ledger has 2 invoices totalling 200.00 (tax 26.00) and the authority 3 invoices totalling 300.00 (tax 39.00).',
    );
  });

  it('does not compare with the authority once a second device issued in the period', async () => {
    await seed.ledger({ key: key(404), deviceId: 'second' });
    await seed.staged(run, { key: key(404) });
    const next = await db.newRun(PERIOD, '91440300MA5ZZZZZ3C');
    await seed.restage(run, next);
    await db.compare(next, PERIOD, NOW, true, '91440300MA5ZZZZZ3C');
    expect(await totals()).toEqual([]);
  });
});
