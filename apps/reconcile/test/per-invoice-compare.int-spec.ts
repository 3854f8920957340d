import { RunsRepository } from '../src/runs/runs.repository';
import { ReconcileDb, TAX_NO } from './support/reconcile-db';
import { key, Seed } from './support/seed';

/** The quiet devices of the scope past its deadline: dev-1 sent nothing for the period, dev-2 no 抄报. */
const QUIET_COUNTS = { DEVICE_SILENT: 1, REPORT_MISSING: 1 };

/** The quiet-device and incomplete-run rules as the compare phase derives them for 2026-10 (deadline 2026-11-17). */
const QUIET = {
  quietFrom: new Date('2026-11-13T16:00:00Z'), silentPercent: 80, incompleteReason: 'per-invoice: checked one by one',
  incompleteAlertAfterMs: 43_200_000, incompleteNearFrom: new Date('2026-11-14T16:00:00Z'),
};

jest.setTimeout(60_000);

const PERIOD = '2026-10';
const NOW = new Date('2026-11-20T02:00:00Z');
const HOUR_AGO = '2026-11-20T01:00:00Z';

/**
 * The comparison of a per-invoice run (coverage `per-invoice`) on hand-made checks and staged records in a real
 * PostgreSQL: MISSING_IN_AUTHORITY only for the invoices checked absent or pending (with the listed pull's grace
 * and the check's channel in the facts), never for an unchecked one, no MISSING_IN_LEDGER, the subjects the run
 * evaluated (`cmp_checked`), what may auto-resolve, and the pruning of old runs' checks.
 */
describe('compare of a per-invoice run (real PostgreSQL, hand-made checks)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const compareService = db.compareService();

  const check = (runId: string, invoiceKey: string, channel: string | null, outcome: string, extra: { status?: string; cause?: string } = {}) =>
    db.query(
      `INSERT INTO authority_checks (run_id, invoice_key, channel, outcome, status, cause, detail, observed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [runId, invoiceKey, channel, outcome, extra.status ?? null, extra.cause ?? null, `${channel ?? 'none'}: ${outcome}`, HOUR_AGO],
    );

  /** A per-invoice run: every ledger invoice checked once, as the pull would have recorded it. */
  const perInvoiceRun = async () => {
    const run = await db.newRun(PERIOD);
    await seed.staged(run, { key: key(1) }, 'authority-verify');
    await check(run, key(1), 'authority-verify', 'found');
    await seed.staged(run, { key: key(2), totalAmount: '113.01', taxAmount: '13.01' }, 'authority-verify');
    await check(run, key(2), 'authority-verify', 'found');
    await check(run, key(3), 'authority-verify', 'absent');
    await check(run, key(4), 'baiwang-validate', 'absent');
    await check(run, key(5), 'baiwang-query', 'pending');
    await check(run, key(6), 'authority-verify', 'absent');
    await check(run, key(7), null, 'unchecked', { cause: 'QUOTA' });
    await check(run, key(8), 'baiwang-query', 'visible', { status: 'NORMAL' });
    await check(run, key(9), 'baiwang-validate', 'differs');
    return run;
  };

  beforeAll(async () => {
    await db.start();
    // k1 agrees; k2 one fen apart (found by 查验)
    await seed.ledger({ key: key(1) });
    await seed.ledger({ key: key(2) });
    // k3 accepted by Nuonuo in October, checked absent: not visible
    await seed.ledger({ key: key(3) });
    await seed.delivery(key(3), 'nuonuo', 'accepted', '2026-10-11T02:00:00Z');
    // k4 accepted by Baiwang an hour ago, checked absent: within the lag, pending
    await seed.ledger({ key: key(4) });
    await seed.delivery(key(4), 'baiwang', 'accepted', HOUR_AGO);
    // k5 accepted by Baiwang in October, its upload query still says PENDING: not visible
    await seed.ledger({ key: key(5) });
    await seed.delivery(key(5), 'baiwang', 'accepted', '2026-10-11T02:00:00Z');
    // k6 issued an hour ago and not yet delivered, checked absent: pending delivery
    await seed.ledger({ key: key(6), issuedAt: HOUR_AGO, updatedAt: HOUR_AGO });
    // k7 not checked (quota): proves nothing, although nothing was staged for it
    await seed.ledger({ key: key(7) });
    // k8 visible at the authority (status, no content); k9 查验 03 (differs, no numbers)
    await seed.ledger({ key: key(8) });
    await seed.ledger({ key: key(9) });
    // dev-2's clear-card failed (a device finding, resolvable whatever the pull)
    await seed.clearCard('dev-2', PERIOD, 'failed', '2026-11-05T01:00:00Z', 'CARD_IO');
  });
  afterAll(() => db.stop());

  it('evaluates MISSING_IN_AUTHORITY for the invoices checked absent or pending only, with the grace and the check in the facts', async () => {
    const run = await perInvoiceRun();
    const { counts, checked } = await db.dataSource.transaction(async (m) => {
      const counted = await compareService.compare(m, {
        runId: run, taxNo: TAX_NO, period: PERIOD, now: NOW, visibilityLagMs: 86_400_000, pullComplete: false, coverage: 'per-invoice',
        filingClosesAt: new Date('2026-11-17T16:00:00Z'), filingDeadline: '2026-11-17', currentPeriod: false, lockWithinDays: 7, offlineNearPercent: 80,
        ...QUIET,
      });
      const evaluated = (await m.query('SELECT type, subject FROM cmp_checked ORDER BY subject, type')) as { type: string; subject: string }[];
      return { counts: counted, checked: evaluated };
    });
    // past the deadline: dev-1 sent nothing for the period (silent), dev-2 no 抄报; the incomplete scope is said at once
    expect(counts).toEqual({
      AMOUNT_MISMATCH: 2, MISSING_IN_AUTHORITY: 2, PENDING_VISIBILITY: 2, CLEAR_CARD_FAILED: 1, CLEAR_CARD_OVERDUE: 2, ...QUIET_COUNTS,
      RECONCILIATION_INCOMPLETE: 1,
    });
    const invoices = await db.query<{ type: string; subject: string; cause: string | null; channel: string | null; check: string | null; via: string | null }>(
      `SELECT type, subject, facts->>'cause' AS cause, facts->>'channel' AS channel, facts->>'checkOutcome' AS check, facts->>'acceptedVia' AS via
         FROM run_discrepancies WHERE run_id = $1 AND invoice_key IS NOT NULL ORDER BY subject`,
      [run],
    );
    expect(invoices).toEqual([
      { type: 'AMOUNT_MISMATCH', subject: key(2), cause: null, channel: 'authority-verify', check: null, via: null },
      { type: 'MISSING_IN_AUTHORITY', subject: key(3), cause: 'NOT_VISIBLE', channel: 'authority-verify', check: 'absent', via: 'nuonuo' },
      { type: 'PENDING_VISIBILITY', subject: key(4), cause: 'PENDING_VISIBILITY', channel: 'baiwang-validate', check: 'absent', via: 'baiwang' },
      { type: 'MISSING_IN_AUTHORITY', subject: key(5), cause: 'NOT_VISIBLE', channel: 'baiwang-query', check: 'pending', via: 'baiwang' },
      { type: 'PENDING_VISIBILITY', subject: key(6), cause: 'PENDING_DELIVERY', channel: 'authority-verify', check: 'absent', via: null },
      // 查验 03: the authority's copy differs, its numbers unknown
      { type: 'AMOUNT_MISMATCH', subject: key(9), cause: null, channel: 'baiwang-validate', check: 'differs', via: null },
    ]);
    // what the run evaluated, per type: an unchecked invoice (k7) nowhere; visible (k8) and differs (k9) do not show a mismatch gone
    const pairs = (n: number, ...types: string[]) => types.map((type) => ({ type, subject: key(n) }));
    const all = ['AMOUNT_MISMATCH', 'CONTENT_MISMATCH', 'MISSING_IN_AUTHORITY', 'STATUS_MISMATCH'];
    expect(checked).toEqual([
      ...pairs(1, ...all), ...pairs(2, ...all), ...pairs(3, ...all), ...pairs(4, ...all),
      ...pairs(5, 'MISSING_IN_AUTHORITY'), ...pairs(6, ...all), ...pairs(8, 'MISSING_IN_AUTHORITY'), ...pairs(9, 'MISSING_IN_AUTHORITY'),
    ]);
  });

  it('raises no MISSING_IN_LEDGER and fills no cmp_checked for another coverage', async () => {
    const run = await perInvoiceRun();
    // a record staged without a ledger invoice (a per-invoice pull never stages one; a listed pull would report it)
    await seed.staged(run, { key: key(30) }, 'authority-verify');
    const checked = await db.dataSource.transaction(async (m) => {
      const base = {
        runId: run, taxNo: TAX_NO, period: PERIOD, now: NOW, visibilityLagMs: 86_400_000, pullComplete: false,
        filingClosesAt: new Date('2026-11-17T16:00:00Z'), filingDeadline: '2026-11-17', currentPeriod: false, lockWithinDays: 7, offlineNearPercent: 80,
        ...QUIET,
      };
      const perInvoice = await compareService.compare(m, { ...base, coverage: 'per-invoice' });
      expect(perInvoice.MISSING_IN_LEDGER).toBeUndefined();
      const none = await compareService.compare(m, { ...base, coverage: null });
      expect(none).toEqual({ AMOUNT_MISMATCH: 1, CLEAR_CARD_FAILED: 1, CLEAR_CARD_OVERDUE: 2, ...QUIET_COUNTS, RECONCILIATION_INCOMPLETE: 1 });
      return (await m.query('SELECT COUNT(*)::int AS n FROM cmp_checked')) as { n: number }[];
    });
    expect(checked).toEqual([{ n: 0 }]);
  });

  it('auto-resolves device findings on a per-invoice run, and no authority-related one (until the merge limits it to cmp_checked)', async () => {
    // a listed run first: k7 (never staged) and k2 become findings
    const listed = await db.newRun(PERIOD);
    for (const n of [1, 3, 4, 5, 8, 9]) await seed.staged(listed, { key: key(n) });
    // the authority's copy of k6 agrees with ours (issued an hour ago), or it would be a CONTENT_MISMATCH (issue date)
    await seed.staged(listed, { key: key(6), issuedAt: HOUR_AGO });
    await seed.staged(listed, { key: key(2), totalAmount: '113.01', taxAmount: '13.01' });
    await db.compare(listed, PERIOD, NOW);
    const active = () =>
      db.query<{ type: string; subject: string }>(`SELECT type, subject FROM findings WHERE tax_no = $1 AND state <> 'resolved' ORDER BY type, subject`, [TAX_NO]);
    expect(await active()).toEqual([
      { type: 'AMOUNT_MISMATCH', subject: key(2) },
      { type: 'CLEAR_CARD_FAILED', subject: 'dev-2' },
      { type: 'CLEAR_CARD_OVERDUE', subject: 'dev-1' },
      { type: 'CLEAR_CARD_OVERDUE', subject: 'dev-2' },
      { type: 'DEVICE_SILENT', subject: 'dev-1' },
      { type: 'MISSING_IN_AUTHORITY', subject: key(7) },
      { type: 'REPORT_MISSING', subject: 'dev-2' },
    ]);
    // dev-2 cleared since; the per-invoice run could not check k7 and found k2 still a fen apart
    await db.query(`UPDATE device_clear_cards SET status = 'succeeded', succeeded_at = $2, at = $2 WHERE device_id = $1`, ['dev-2', HOUR_AGO]);
    const run = await perInvoiceRun();
    const result = await db.dataSource.transaction((m) =>
      db.comparePhase().execute(m, { runId: run, taxNo: TAX_NO, period: PERIOD, pullComplete: false, coverage: 'per-invoice', now: NOW }),
    );
    // opened: two MISSING_IN_AUTHORITY, one AMOUNT_MISMATCH, and the scope that cannot be reconciled (past the deadline)
    expect(result.findings).toMatchObject({ opened: 4, resolved: 2 });
    expect(await active()).toEqual([
      { type: 'AMOUNT_MISMATCH', subject: key(2) },
      { type: 'AMOUNT_MISMATCH', subject: key(9) },
      { type: 'CLEAR_CARD_OVERDUE', subject: 'dev-1' },
      { type: 'DEVICE_SILENT', subject: 'dev-1' },
      { type: 'MISSING_IN_AUTHORITY', subject: key(3) },
      { type: 'MISSING_IN_AUTHORITY', subject: key(5) },
      { type: 'MISSING_IN_AUTHORITY', subject: key(7) },
      { type: 'RECONCILIATION_INCOMPLETE', subject: 'reconciliation' },
      { type: 'REPORT_MISSING', subject: 'dev-2' },
    ]);
    const evidence = await db.query<{ channel: string }>(
      `SELECT evidence->>'channel' AS channel FROM findings WHERE type = 'MISSING_IN_AUTHORITY' AND subject = $1`,
      [key(5)],
    );
    expect(evidence).toEqual([{ channel: 'baiwang-query' }]);
  });

  it("prunes the per-invoice checks of all but the scope's latest two finished runs with their staged records", async () => {
    const runs = new RunsRepository(db.dataSource, db.ids);
    const scope = await db.query<{ id: string }>('SELECT id FROM reconcile_runs WHERE tax_no = $1 AND period = $2 ORDER BY created_at DESC', [TAX_NO, PERIOD]);
    // four finished runs, three of them per-invoice (the listed one, second newest, has no checks)
    expect(scope.length).toBe(4);
    expect(await db.query('SELECT COUNT(DISTINCT run_id)::int AS n FROM authority_checks')).toEqual([{ n: 3 }]);
    await runs.prune(TAX_NO, PERIOD, 2);
    expect(await db.query('SELECT DISTINCT run_id FROM authority_checks')).toEqual([{ run_id: scope[0].id }]);
    const kept = scope.slice(0, 2).map((r) => r.id);
    expect(await db.query('SELECT DISTINCT run_id FROM authority_staged WHERE NOT (run_id = ANY($1::uuid[]))', [kept])).toEqual([]);
    expect(await db.query('SELECT DISTINCT run_id FROM run_discrepancies WHERE NOT (run_id = ANY($1::uuid[]))', [kept])).toEqual([]);
  });
  describe('查验 03 (differs): the authority holds other content, without its numbers', () => {
    const TAX2 = '91440300MA5XXXXX2B';
    const seed2 = new Seed(db, TAX2);
    const answer = (runId: string, invoiceKey: string, outcome: string) =>
      db.query(
        `INSERT INTO authority_checks (run_id, invoice_key, channel, outcome, detail, observed_at) VALUES ($1, $2, 'baiwang-validate', $3, $4, $5)`,
        [runId, invoiceKey, outcome, outcome === 'differs' ? '查验 03 发票信息不一致' : null, HOUR_AGO],
      );
    const perInvoice = (runId: string) =>
      db.dataSource.transaction((m) => db.comparePhase().execute(m, { runId, taxNo: TAX2, period: PERIOD, pullComplete: false, coverage: 'per-invoice', now: NOW }));
    const mismatches = () =>
      db.query<{ subject: string; state: string; explanation: string }>(
        `SELECT subject, state, explanation FROM findings WHERE tax_no = $1 AND type = 'AMOUNT_MISMATCH' ORDER BY subject`,
        [TAX2],
      );
    const requests = () => db.query<{ invoice_key: string }>('SELECT invoice_key FROM correction_requests WHERE tax_no = $1 ORDER BY invoice_key', [TAX2]);
    const sentence = (n: number, done: string) =>
      `电子发票(普通发票) ${key(n)}与税局留存的版本不一致（11月20日经baiwang-validate查验返回 03：类型、日期或金额不同，税局未给出具体数据）；${done}，请通过查验或在平台上核对税局留存的版本。`;

    beforeAll(async () => {
      for (const n of [20, 21, 22, 23]) await seed2.ledger({ key: key(n) });
      // k23: two contents in our ledger, so a 03 is expected: reported as a duplicate, not as a mismatch
      await seed2.version(key(23), '226.00', '200.00', '26.00');
    });

    it('raises exactly one AMOUNT_MISMATCH, left open for a person (no correction request), with the answer in its evidence', async () => {
      const run = await db.newRun(PERIOD, TAX2);
      await answer(run, key(20), 'differs');
      await answer(run, key(22), 'differs');
      await answer(run, key(23), 'differs');
      // k21: read with other numbers (a correction is requested as for any amount mismatch)
      await seed.staged(run, { key: key(21), totalAmount: '113.01', taxAmount: '13.01' }, 'baiwang-validate');
      await answer(run, key(21), 'found');
      const result = await perInvoice(run);
      expect(result.discrepancies).toMatchObject({ AMOUNT_MISMATCH: 3, DUPLICATE_INVOICE: 1 });
      expect(await mismatches()).toEqual([
        { subject: key(20), state: 'open', explanation: sentence(20, '系统未自动更正') },
        { subject: key(21), state: 'remediating', explanation: expect.stringContaining('；已申请红字更正。') },
        { subject: key(22), state: 'open', explanation: sentence(22, '系统未自动更正') },
      ]);
      const evidence = await db.query<Record<string, unknown>>(
        `SELECT evidence->>'channel' AS channel, evidence->>'checkOutcome' AS "checkOutcome", evidence->>'checkDetail' AS "checkDetail",
                (evidence->>'checkedAt')::timestamptz AS "checkedAt", evidence->'authority' AS authority, evidence->>'coverage' AS coverage,
                evidence->'ledger'->>'totalAmount' AS "ledgerTotal"
           FROM findings WHERE tax_no = $1 AND type = 'AMOUNT_MISMATCH' AND subject = $2`,
        [TAX2, key(20)],
      );
      expect(evidence).toEqual([
        {
          channel: 'baiwang-validate', checkOutcome: 'differs', checkDetail: '查验 03 发票信息不一致', checkedAt: new Date(HOUR_AGO), authority: null,
          coverage: 'per-invoice', ledgerTotal: '113.00',
        },
      ]);
      expect(await requests()).toEqual([{ invoice_key: key(21) }]);
    });

    it('resolves it once a later check finds equal content, keeps a correction under way, and starts one once the numbers are read', async () => {
      const run = await db.newRun(PERIOD, TAX2);
      await seed.staged(run, { key: key(20) }, 'baiwang-validate');
      await answer(run, key(20), 'found');
      await answer(run, key(21), 'differs');
      await seed.staged(run, { key: key(22), totalAmount: '113.02', taxAmount: '13.02' }, 'baiwang-validate');
      await answer(run, key(22), 'found');
      const result = await perInvoice(run);
      expect(result.findings).toMatchObject({ resolved: 1 });
      expect(await mismatches()).toEqual([
        { subject: key(20), state: 'resolved', explanation: `Invoice ${key(20)} no longer shows this problem in the latest reconciliation, so the finding was resolved automatically.` },
        { subject: key(21), state: 'remediating', explanation: sentence(21, '红字更正已在进行中') },
        { subject: key(22), state: 'remediating', explanation: expect.stringContaining('价税合计我方 113.00 元、税局 113.02 元') },
      ]);
      expect(await requests()).toEqual([{ invoice_key: key(21) }, { invoice_key: key(22) }]);
    });

    it('does not resolve it on a run whose answer says nothing of the content (visible, unchecked) and reopens it on a new 03', async () => {
      const run = await db.newRun(PERIOD, TAX2);
      await answer(run, key(20), 'differs');
      await db.query(
        `INSERT INTO authority_checks (run_id, invoice_key, channel, outcome, status, cause, detail, observed_at)
         VALUES ($1, $2, 'baiwang-query', 'visible', 'NORMAL', NULL, 'visible', $4), ($1, $3, NULL, 'unchecked', NULL, 'QUOTA', 'quota', $4)`,
        [run, key(21), key(22), HOUR_AGO],
      );
      await perInvoice(run);
      expect(await mismatches()).toEqual([
        { subject: key(20), state: 'open', explanation: sentence(20, '系统未自动更正') },
        { subject: key(21), state: 'remediating', explanation: sentence(21, '红字更正已在进行中') },
        { subject: key(22), state: 'remediating', explanation: expect.stringContaining('价税合计我方 113.00 元、税局 113.02 元') },
      ]);
    });
  });
});
