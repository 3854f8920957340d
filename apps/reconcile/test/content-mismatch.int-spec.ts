import { explainFinding, FindingType } from '@lib/contracts';
import { ReconcileDb } from './support/reconcile-db';
import { key, LedgerSeed, Seed } from './support/seed';

jest.setTimeout(60_000);

type Finding = {
  id: string;
  type: FindingType;
  subject: string;
  state: string;
  severity: string;
  explanation: string;
  evidence: Record<string, unknown>;
};

const BUYER = { buyerTaxNo: '91310115MA1H0AAA2B', buyerName: '上海浦东示例贸易有限公司' };
const OTHER_TAX_NO = '91310115MA1H0BBB3C';

/**
 * CONTENT_MISMATCH on hand-made projection and staged rows in a real PostgreSQL: each field raises one finding naming
 * it, a buyer name that differs only in width, spacing or case raises nothing, several fields make one finding (and
 * money still its own AMOUNT_MISMATCH), re-runs never duplicate, a field a channel cannot compare is carried, and the
 * finding resolves once a run sees the fields agree.
 */
describe('content mismatches (real PostgreSQL, hand-made staged data)', () => {
  const db = new ReconcileDb();
  const seed = new Seed(db);
  const PERIOD = '2026-10';
  const NOW = new Date('2026-11-20T02:00:00Z');
  let run1: string;

  const findings = (types: FindingType[] = ['CONTENT_MISMATCH']) =>
    db.query<Finding>(
      `SELECT id, type, subject, state, severity, explanation, evidence FROM findings WHERE period = $1 AND type = ANY($2) ORDER BY type, subject`,
      [PERIOD, types],
    );
  const one = async (n: number) => (await findings()).find((f) => f.subject === key(n));
  const fieldsOf = async (n: number) => (await one(n))?.evidence.fields;

  /** One invoice on both sides: the ledger's row and the authority's copy (the buyer staged as a listing channel carries it). */
  const pair = async (n: number, ours: Partial<LedgerSeed>, theirs: Partial<LedgerSeed>, run = run1) => {
    await seed.ledger({ key: key(n), ...BUYER, lineCount: 2, ...ours });
    await seed.staged(run, { key: key(n), ...BUYER, ...theirs });
  };

  beforeAll(async () => {
    await db.start();
    run1 = await db.newRun(PERIOD);
    // 1 agrees; 2 was issued on another day (Asia/Shanghai: 23:30 here, 00:30 the next day there); 3 at another hour of the same day
    await pair(1, {}, {});
    await pair(2, { issuedAt: '2026-10-10T15:30:00Z' }, { issuedAt: '2026-10-10T16:30:00Z' });
    await pair(3, { issuedAt: '2026-10-10T02:00:00Z' }, { issuedAt: '2026-10-10T09:59:59Z' });
    // 4 another buyer tax number; 5 none at the authority on a general invoice (not a mismatch), 6 on a special one
    await pair(4, {}, { buyerTaxNo: OTHER_TAX_NO });
    await pair(5, {}, { buyerTaxNo: null });
    await pair(6, { type: 'DIGITAL_SPECIAL' }, { type: 'DIGITAL_SPECIAL', buyerTaxNo: null });
    // 7 the tax number only in other case and with spaces around it: the same
    await pair(7, {}, { buyerTaxNo: ` ${BUYER.buyerTaxNo.toLowerCase()}\u3000` });
    // 8 another buyer; 9 the same buyer typed with full-width characters, ideographic and doubled spaces, other case
    await pair(8, {}, { buyerName: '上海浦西示例贸易有限公司' });
    await pair(
      9,
      { buyerName: 'ＡＢＣ（上海）　示例  Trading 有限公司' },
      { buyerName: 'abc(上海)示例trading有限公司' },
    );
    // 10 another type; 11 another line count (as a 查验 answer carries it)
    await pair(10, { type: 'DIGITAL_GENERAL' }, { type: 'DIGITAL_SPECIAL' });
    await pair(11, {}, { lineCount: 3 });
    // 12 differs in date, buyer name, line count and money: one CONTENT_MISMATCH with three fields, and an AMOUNT_MISMATCH
    await pair(
      12,
      {},
      {
        issuedAt: '2026-10-12T02:00:00Z',
        buyerName: '另一家公司',
        lineCount: 1,
        totalAmount: '226.00',
        amount: '200.00',
        taxAmount: '26.00',
      },
    );
    // 13 the line count agrees, 14 is staged by a channel that carries neither buyer nor lines: nothing to compare but type and date
    await pair(13, {}, { lineCount: 2 });
    await seed.ledger({ key: key(14), ...BUYER, lineCount: 2 });
    await seed.staged(run1, { key: key(14) });
  });
  afterAll(() => db.stop());

  it('raises one CONTENT_MISMATCH per invoice naming each differing field, and nothing for width, spacing or case', async () => {
    const result = await db.compare(run1, PERIOD, NOW);
    expect(result.discrepancies.CONTENT_MISMATCH).toBe(7);
    expect(result.discrepancies.AMOUNT_MISMATCH).toBe(1);
    expect((await findings()).map((f) => f.subject)).toEqual([2, 4, 6, 8, 10, 11, 12].map(key));
    expect(await fieldsOf(2)).toEqual([{ field: 'issueDate', ours: '2026-10-10', authority: '2026-10-11' }]);
    expect(await fieldsOf(4)).toEqual([
      { field: 'buyerTaxNo', ours: BUYER.buyerTaxNo, authority: OTHER_TAX_NO },
    ]);
    expect(await fieldsOf(6)).toEqual([{ field: 'buyerTaxNo', ours: BUYER.buyerTaxNo, authority: null }]);
    expect(await fieldsOf(8)).toEqual([
      { field: 'buyerName', ours: BUYER.buyerName, authority: '上海浦西示例贸易有限公司' },
    ]);
    expect(await fieldsOf(10)).toEqual([
      { field: 'invoiceType', ours: 'DIGITAL_GENERAL', authority: 'DIGITAL_SPECIAL' },
    ]);
    expect(await fieldsOf(11)).toEqual([{ field: 'lineCount', ours: 2, authority: 3 }]);
    expect(await fieldsOf(12)).toEqual([
      { field: 'issueDate', ours: '2026-10-10', authority: '2026-10-12' },
      { field: 'buyerName', ours: BUYER.buyerName, authority: '另一家公司' },
      { field: 'lineCount', ours: 2, authority: 1 },
    ]);
    const amount = await findings(['AMOUNT_MISMATCH']);
    expect(amount.map((f) => f.subject)).toEqual([key(12)]);
  });

  it('is a warning for a person, critical when the buyer of a special invoice cannot deduct', async () => {
    const all = await findings();
    expect(all.every((f) => f.state === 'open')).toBe(true);
    expect(all.filter((f) => f.severity === 'critical').map((f) => f.subject)).toEqual([key(6)]);
  });

  it('explains in Chinese (stored) and in English (rendered), naming each field with both values', async () => {
    const f = (await one(12))!;
    expect(f.explanation).toBe(
      `电子发票(普通发票) ${key(12)}的内容与税局记录不一致（开票日期我方 2026年10月10日、税局 2026年10月12日；购买方名称我方“上海浦东示例贸易有限公司”、税局“另一家公司”；明细行数我方 2、税局 1）；系统未自动更正，需专人判断以哪一方为准，如发票有误，请开具红字发票冲销后重新开具。`,
    );
    expect(explainFinding({ type: f.type, state: 'open', evidence: f.evidence, now: NOW }, 'en')).toBe(
      `Fully digital e-invoice (general) ${key(12)} says something else than the authority's record (issue date: ours 10 Oct 2026, the authority's 12 Oct 2026; buyer name: ours "上海浦东示例贸易有限公司", the authority's "另一家公司"; line count: ours 2, the authority's 1); nothing was corrected automatically: a person must decide which is right and, if the invoice is wrong, reverse it with a red-letter invoice and issue it again.`,
    );
    expect((await one(6))!.explanation).toContain(
      '购买方纳税人识别号我方 91310115MA1H0AAA2B、税局 无），购买方无法凭此专用发票抵扣进项税额',
    );
  });

  it('re-running the same scope changes nothing: no duplicate finding, history or event', async () => {
    const before = await findings();
    const history = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM finding_history');
    const events = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM outbox`);
    const run2 = await db.newRun(PERIOD);
    await seed.restage(run1, run2);
    const result = await db.compare(run2, PERIOD, new Date(NOW.getTime() + 3_600_000));
    expect(result.discrepancies.CONTENT_MISMATCH).toBe(7);
    expect(result.findings).toMatchObject({ opened: 0, changed: 0, resolved: 0 });
    expect((await findings()).map((f) => [f.id, f.state, f.explanation])).toEqual(
      before.map((f) => [f.id, f.state, f.explanation]),
    );
    expect(await db.query('SELECT COUNT(*)::int AS n FROM finding_history')).toEqual(history);
    expect(await db.query('SELECT COUNT(*)::int AS n FROM outbox')).toEqual(events);
  });

  it('carries a field the run cannot compare, and resolves once a run sees the fields agree', async () => {
    const run3 = await db.newRun(PERIOD);
    for (const n of [1, 2, 4, 10, 12, 13]) await seed.staged(run3, { key: key(n), ...BUYER });
    await seed.staged(run3, { key: key(6), ...BUYER, type: 'DIGITAL_SPECIAL' });
    // 8's buyer is corrected at the authority; 11 and 12 come from a list now (no lines), 12 agreeing on all else
    await seed.staged(run3, { key: key(8), ...BUYER });
    await seed.staged(run3, { key: key(11), ...BUYER });
    await db.query(
      `UPDATE authority_staged SET issued_at = '2026-10-11T02:00:00Z' WHERE run_id = $1 AND invoice_key = $2`,
      [run3, key(2)],
    );
    await db.query(
      `UPDATE authority_staged SET invoice_type = 'DIGITAL_SPECIAL' WHERE run_id = $1 AND invoice_key = $2`,
      [run3, key(10)],
    );
    await db.query(
      `UPDATE authority_staged SET buyer_tax_no = NULL WHERE run_id = $1 AND invoice_key IN ($2, $3)`,
      [run3, key(4), key(6)],
    );
    await db.compare(run3, PERIOD, new Date(NOW.getTime() + 7_200_000));
    const byKey = new Map((await findings()).map((f) => [f.subject, f]));
    // 8 agrees now: resolved; 4 lost its tax number at the authority on a general invoice: no longer a mismatch
    expect(byKey.get(key(8))!.state).toBe('resolved');
    expect(byKey.get(key(4))!.state).toBe('resolved');
    expect(byKey.get(key(6))!.state).toBe('open');
    // the list cannot count lines: 11's line count is carried, 12 keeps only its line count
    expect(byKey.get(key(11))!.state).toBe('open');
    expect(byKey.get(key(11))!.evidence.fields).toEqual([
      { field: 'lineCount', ours: 2, authority: 3, carried: true },
    ]);
    expect(byKey.get(key(12))!.evidence.fields).toEqual([
      { field: 'lineCount', ours: 2, authority: 1, carried: true },
    ]);
    expect(byKey.get(key(12))!.explanation).toContain('（明细行数我方 2、税局 1）');

    // a 查验 answer counts the lines again: 11 and 12 agree now
    const run4 = await db.newRun(PERIOD);
    await seed.restage(run3, run4);
    await db.query(
      `UPDATE authority_staged SET line_count = 2 WHERE run_id = $1 AND invoice_key IN ($2, $3)`,
      [run4, key(11), key(12)],
    );
    await db.compare(run4, PERIOD, new Date(NOW.getTime() + 10_800_000));
    const after = new Map((await findings()).map((f) => [f.subject, f.state]));
    expect(after.get(key(11))).toBe('resolved');
    expect(after.get(key(12))).toBe('resolved');
    expect([...after].filter(([, state]) => state !== 'resolved').map(([k]) => k)).toEqual(
      [2, 6, 10].map(key),
    );
  });
});
