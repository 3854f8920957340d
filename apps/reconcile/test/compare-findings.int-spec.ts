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
      // past the deadline, devices without a 抄报 for the period: dev-1 sent nothing at all (silent), dev-2 and dev-quiet did
      REPORT_MISSING: 2,
      DEVICE_SILENT: 1,
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
      // past the deadline, devices without a 抄报 for the period: dev-1 sent nothing at all (silent), dev-2 and dev-quiet did
      REPORT_MISSING: 2,
      DEVICE_SILENT: 1,
    });
    expect(await one('CLEAR_CARD_OVERDUE', 'dev-quiet')).toBeDefined();
    expect((await findings()).filter((f) => f.type === 'REPORT_MISSING').map((f) => f.subject)).toEqual(['dev-2', 'dev-quiet']);
    expect(await one('DEVICE_SILENT', 'dev-1')).toMatchObject({ state: 'open', severity: 'critical' });
    const day = Number(deadline.deadline.slice(8));
    expect((await one('MISSING_IN_AUTHORITY', key(2)))?.explanation).toBe(
      `电子发票(普通发票) ${key(2)}已于11月3日被税局接收，但17天后税局仍无记录；已申请补传（第1次，共3次）。`,
    );
    expect(await one('MISSING_IN_AUTHORITY', key(4))).toMatchObject({
      state: 'open',
      severity: 'warning',
      explanation: `电子发票(普通发票) ${key(4)}尚未送达税局（系统仍在同步），这不是税局的问题。`,
    });
    expect((await one('MISSING_IN_AUTHORITY', key(5)))?.explanation).toBe(
      `电子发票(普通发票) ${key(5)}经8次尝试仍未送达税局（E9500）；已申请补传（第1次，共3次）。`,
    );
    expect((await one('MISSING_IN_LEDGER', key(6)))?.explanation).toBe(
      `电子发票(普通发票) ${key(6)}（价税合计 1,130.00 元，10月12日开具）在税局有记录，但我方账簿中没有；已按税局记录补录，需专人确认。`,
    );
    expect(await one('AMOUNT_MISMATCH', key(7))).toMatchObject({
      state: 'remediating',
      explanation: `电子发票(普通发票) ${key(7)}与税局记录不一致（价税合计我方 113.00 元、税局 113.01 元，税额 13.00 元 对 13.01 元）；已申请红字更正。`,
    });
    expect((await one('STATUS_MISMATCH', key(8)))?.explanation).toBe(
      `电子发票(普通发票) ${key(8)}在我方账簿中为“已作废”，在税局为“正常”；已申请更正。`,
    );
    expect((await one('DUPLICATE_INVOICE', key(10)))?.explanation).toBe(
      `电子发票(普通发票) ${key(10)}存在相互冲突的版本：我方账簿中2个（价税合计分别为 113.00 元、226.00 元）；需专人判断哪一个正确。`,
    );
    expect((await one('CLEAR_CARD_OVERDUE', 'dev-1'))?.explanation).toBe(
      `开票设备 dev-1（分支机构 sz）尚未完成2026年10月的清卡，申报截止日2026年11月${day}日已过。`,
    );
    expect((await one('CLEAR_CARD_FAILED', 'dev-2'))?.explanation).toBe(
      `开票设备 dev-2（分支机构 sz）于11月5日进行2026年10月的清卡失败（CARD_IO：card reader busy）；须在截止日2026年11月${day}日前重新清卡。`,
    );
    expect((await one('REPORT_TOTALS_MISMATCH', 'dev-3:DIGITAL_GENERAL'))?.explanation).toBe(
      '开票设备 dev-3（分支机构 sz）2026年10月的抄报汇总中电子发票(普通发票)为2张、金额合计 200.00 元（税额 26.00 元），但我方账簿为1张、金额合计 100.00 元（税额 13.00 元）。',
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
    expect(events).toHaveLength(15);
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
      `电子发票(普通发票) ${key(3)}已于11月19日被诺诺接收，但1天后税局仍无记录；已申请补传（第1次，共3次）。`,
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
    // the only finding it opens: past the filing deadline, a scope that cannot be reconciled is said at once
    expect(result.findings.opened).toBe(1);
    expect(await one('RECONCILIATION_INCOMPLETE', 'reconciliation')).toMatchObject({ state: 'open', severity: 'critical' });
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
    expect(f?.explanation).toMatch(/；已补传3次仍未成功，已升级由专人与主管税务机关核实。$/);
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
    // the three problems fixed, and dev-1 no longer silent now that it cleared
    expect(result.findings.resolved).toBe(4);
    expect(await one('DEVICE_SILENT', 'dev-1')).toMatchObject({ state: 'resolved' });
    // the incomplete reconciliation resolved on the first complete run after it (the escalation's, on 22 Nov)
    expect(await one('RECONCILIATION_INCOMPLETE', 'reconciliation')).toMatchObject({ state: 'resolved' });
    expect((await one('RECONCILIATION_INCOMPLETE', 'reconciliation'))?.explanation).toMatch(/2026年10月的对账已于11月22日完整完成，自11月21日起未能完成的问题已自动解决。$/);
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
    // the three of this run and dev-1's silence, and the incomplete reconciliation (resolved on 22 Nov, with its sentence)
    expect(last).toHaveLength(5);
    expect(last.find((d) => d.type === 'RECONCILIATION_INCOMPLETE')).toMatchObject({ branchId: null, deviceId: null, invoice: null });
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
      { subject: 'lock-soon', explanation: '开票设备 lock-soon（分支机构 sz）将在2026年11月25日后锁死（还剩5天），请及时完成抄报和清卡。' },
      {
        subject: 'offline-80',
        explanation: '开票设备 offline-80（分支机构 sz）离线开票金额已达 8,000.00 元（上限 10,000.00 元）（已达上限的80%以上）；请尽快联网上传，以免无法开票。',
      },
      {
        subject: 'offline-long',
        explanation: '开票设备 offline-long（分支机构 sz）已离线60小时（允许72小时）（已达上限的80%以上）；请尽快联网上传，以免无法开票。',
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
      '开票设备 solo（分支机构 sz）2026年10月的抄报汇总中电子发票(普通发票)为2张、金额合计 200.00 元（税额 26.00 元），' +
        '但我方账簿为2张、金额合计 200.00 元（税额 26.00 元），税局记录为3张、金额合计 300.00 元（税额 39.00 元）。',
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
