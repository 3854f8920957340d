import { randomUUID } from 'node:crypto';
import { ManualClock } from '@lib/common';
import { startTestIssuer, TestIssuer } from '@lib/testing';
import { API_TOKEN, ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const TAX_NO = '91440300MA5XXXXX1A';
const OTHER_TAX_NO = '91110000MA5XXXXX2B';

/**
 * People reach reconcile's API with their IdP access token (PRODUCT.md, "Console and people"): each sees and acts only
 * within their role and branches. A clerk of SZ01 never learns that a BJ01 finding or invoice exists (404 exactly as an
 * unknown one), an auditor changes nothing (403), and every action names the person in the history and the audit log.
 */
describe('reconcile API for people (real PostgreSQL, tokens from a test issuer)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  let issuer: TestIssuer;
  let clerk: string;
  let auditor: string;
  let manager: string;
  const ids = { sz: [] as string[], bj: [] as string[] };

  const finding = async (
    branchId: string,
    n: number,
    over: { severity?: string; state?: string; taxNo?: string; period?: string } = {},
  ) => {
    const id = randomUUID();
    const number = `2544200000010${branchId === 'SZ01' ? '1' : '2'}${String(n).padStart(6, '0')}`;
    await h.query(
      `INSERT INTO findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
         invoice_code, invoice_number, explanation, evidence, created_at, updated_at)
       VALUES ($1, $2, $3, 'MISSING_IN_AUTHORITY', $4, $5, $6, $7, 'dev-1', $4, 'DIGITAL_GENERAL', NULL, $4, 'seeded', '{}',
               $8, $8)`,
      [
        id,
        over.taxNo ?? TAX_NO,
        over.period ?? '2026-10',
        number,
        over.state ?? 'open',
        over.severity ?? 'warning',
        branchId,
        new Date(Date.UTC(2026, 10, 1, 0, n)),
      ],
    );
    await h.query(
      `INSERT INTO finding_history (finding_id, from_state, to_state, action, actor_kind, actor, actor_name, reason, run_id, at)
       VALUES ($1, NULL, $2, 'open', 'service', 'reconcile', 'reconcile', NULL, NULL, now())`,
      [id, over.state ?? 'open'],
    );
    await h.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour,
         state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at, buyer_tax_no, buyer_name)
       VALUES ($1, $2, $3, 'dev-1', '2026-10', 'DIGITAL_GENERAL', NULL, $1, 'blue', 'issued', 100, 13, 113, $4, $4, 'ledger', $4,
               '91310000BUYER00001', $5)`,
      [
        number,
        over.taxNo ?? TAX_NO,
        branchId,
        new Date(Date.UTC(2026, 9, 10, 0, n)),
        `Buyer ${branchId} Co.`,
      ],
    );
    return { id, number };
  };
  const as = (token: string | null) => ({
    get: (path: string) => h.api('GET', path, undefined, token),
    post: (path: string, body: unknown) => h.api('POST', path, body, token),
  });
  const history = (id: string) =>
    h.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM finding_history WHERE finding_id = $1', [id]);

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start([], clock, { ...issuer.env, RECONCILE_WORKERS_ENABLED: 'false' });
    for (let n = 1; n <= 3; n += 1)
      ids.sz.push((await finding('SZ01', n, { severity: n === 1 ? 'critical' : 'warning' })).id);
    for (let n = 4; n <= 7; n += 1) ids.bj.push((await finding('BJ01', n)).id);
    await finding('SZ01', 8, { state: 'resolved', period: '2026-09' });
    clerk = await issuer.token({
      sub: 'clerk-sz',
      name: '深圳 会计',
      roles: ['branch-clerk'],
      branches: ['SZ01'],
    });
    auditor = await issuer.token({ sub: 'auditor-1', name: 'Audrey Auditor', roles: ['auditor'] });
    manager = await issuer.token({ sub: 'mgr-1', name: '王经理', roles: ['finance-manager'] });
  });
  afterAll(async () => {
    await h.stop();
    await issuer?.close();
  });

  it('answers 401 without a token, and with a token of another issuer or audience', async () => {
    const other = await startTestIssuer();
    try {
      const foreign = await other.token({ sub: 'mgr-1', roles: ['finance-manager'] });
      const wrongAudience = await issuer.token(
        { sub: 'mgr-1', roles: ['finance-manager'] },
        { audience: 'urn:someone-else' },
      );
      for (const token of [null, foreign, wrongAudience, 'not-the-api-token']) {
        const answer = await as(token).get('/v1/findings');
        expect(answer.status).toBe(401);
      }
    } finally {
      await other.close();
    }
  });

  it("shows a clerk only their branches' findings, in the page, the total and the summary", async () => {
    const list = await as(clerk).get('/v1/findings?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(4);
    expect(list.body.items).toHaveLength(2);
    const rest = await as(clerk).get(`/v1/findings?limit=2&cursor=${list.body.nextCursor}`);
    const seen = [...list.body.items, ...rest.body.items];
    expect(seen.map((f: { branchId: string }) => f.branchId)).toEqual(['SZ01', 'SZ01', 'SZ01', 'SZ01']);
    expect(rest.body.nextCursor).toBeNull();
    // a filter naming another branch finds nothing for the clerk, and everything for a manager
    expect((await as(clerk).get('/v1/findings?branchId=BJ01')).body).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    expect((await as(manager).get('/v1/findings?branchId=BJ01')).body.total).toBe(4);
    expect((await as(manager).get('/v1/findings')).body.total).toBe(8);
    const summary = await as(clerk).get('/v1/findings/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      byType: { MISSING_IN_AUTHORITY: 3 },
      bySeverity: { critical: 1, warning: 2 },
      byState: { open: 3 },
      byBranch: [{ branchId: 'SZ01', open: 3, total: 4 }],
      byPeriod: [
        { period: '2026-10', open: 3, total: 3 },
        { period: '2026-09', open: 0, total: 1 },
      ],
    });
    const all = await as(auditor).get(`/v1/findings/summary?taxNo=${TAX_NO}&period=2026-10`);
    expect(all.body.byBranch).toEqual([
      { branchId: 'BJ01', open: 4, total: 4 },
      { branchId: 'SZ01', open: 3, total: 3 },
    ]);
  });

  it('filters by severity and exact invoice number', async () => {
    const critical = await as(manager).get('/v1/findings?severity=critical');
    expect(critical.body.items.map((f: { id: string }) => f.id)).toEqual([ids.sz[0]]);
    const one = await as(clerk).get('/v1/findings?invoiceNumber=25442000000101000002');
    expect(one.body).toMatchObject({ total: 1, items: [{ id: ids.sz[1] }] });
    expect((await as(clerk).get('/v1/findings?invoiceNumber=2544200000010100000')).body.total).toBe(0);
    expect((await as(clerk).get('/v1/findings?severity=urgent')).status).toBe(400);
  });

  it('answers a BJ01 finding to a SZ01 clerk exactly as an unknown id, and changes nothing when asked to act on it', async () => {
    const unknown = randomUUID();
    const bj = ids.bj[0];
    const asked = await as(clerk).get(`/v1/findings/${bj}`);
    const missing = await as(clerk).get(`/v1/findings/${unknown}`);
    expect(asked.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(JSON.stringify(asked.body).replace(bj, '<id>')).toBe(
      JSON.stringify(missing.body).replace(unknown, '<id>'),
    );
    expect(JSON.stringify(asked.body)).toContain('FINDING_NOT_FOUND');
    const acted = await as(clerk).post(`/v1/findings/${bj}/actions`, {
      action: 'ignore',
      reason: 'not mine',
    });
    const actedUnknown = await as(clerk).post(`/v1/findings/${unknown}/actions`, {
      action: 'ignore',
      reason: 'not mine',
    });
    expect(acted.status).toBe(404);
    expect(JSON.stringify(acted.body).replace(bj, '<id>')).toBe(
      JSON.stringify(actedUnknown.body).replace(unknown, '<id>'),
    );
    expect(await h.query('SELECT state FROM findings WHERE id = $1', [bj])).toEqual([{ state: 'open' }]);
    expect(await history(bj)).toEqual([{ n: 1 }]);
    expect(await h.query(`SELECT 1 FROM audit_log WHERE target_id = $1`, [bj])).toEqual([]);
    // their own branch's finding they see, with its history
    const own = await as(clerk).get(`/v1/findings/${ids.sz[2]}`);
    expect(own.body).toMatchObject({
      id: ids.sz[2],
      branchId: 'SZ01',
      history: [{ action: 'open', actor: { kind: 'service', subject: 'reconcile', name: 'reconcile' } }],
    });
  });

  it('refuses an auditor any action and a run (403 FORBIDDEN), and a clerk a run', async () => {
    const acted = await as(auditor).post(`/v1/findings/${ids.sz[0]}/actions`, {
      action: 'resolve',
      reason: 'looks fine',
    });
    expect(acted.status).toBe(403);
    expect(JSON.stringify(acted.body)).toContain('"FORBIDDEN"');
    expect(await history(ids.sz[0])).toEqual([{ n: 1 }]);
    for (const token of [auditor, clerk]) {
      const run = await as(token).post('/v1/reconciliations', { taxNo: TAX_NO, period: '2026-10' });
      expect(run.status).toBe(403);
      expect(JSON.stringify(run.body)).toContain('"FORBIDDEN"');
    }
    expect(await h.query('SELECT 1 FROM reconcile_runs')).toEqual([]);
    expect((await as(auditor).get('/v1/reconciliations')).status).toBe(200);
  });

  it("records a manager's ignore with the person in the finding's history and in the audit log, in one transaction", async () => {
    const id = ids.bj[1];
    const ignored = await as(manager).post(`/v1/findings/${id}/actions`, {
      action: 'ignore',
      reason: 'a test print',
    });
    expect(ignored.status).toBe(200);
    expect(ignored.body.state).toBe('ignored');
    expect(ignored.body.history[1]).toMatchObject({
      action: 'ignore',
      reason: 'a test print',
      actor: { kind: 'person', subject: 'mgr-1', name: '王经理' },
    });
    expect(ignored.body.explanation).toContain('王经理');
    const audit = await as(manager).get(`/v1/audit?targetId=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        service: 'reconcile',
        actor: { kind: 'person', subject: 'mgr-1', name: '王经理' },
        action: 'finding.ignore',
        target: { type: 'finding', id },
        taxNo: TAX_NO,
        branchId: 'BJ01',
        reason: 'a test print',
        at: '2026-11-20T02:00:00.000Z',
      }),
    ]);
    expect((await as(clerk).get('/v1/audit')).status).toBe(403);
  });

  it('lets a clerk act on their own branch', async () => {
    const resolved = await as(clerk).post(`/v1/findings/${ids.sz[2]}/actions`, {
      action: 'resolve',
      reason: 'uploaded by hand',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.history[1].actor).toEqual({
      kind: 'person',
      subject: 'clerk-sz',
      name: '深圳 会计',
    });
  });

  it("searches the ledger within the caller's branches, and hides another branch's invoice timeline", async () => {
    const page = await as(clerk).get('/v1/invoices?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items[0]).toEqual({
      key: '25442000000101000008',
      type: 'DIGITAL_GENERAL',
      code: null,
      number: '25442000000101000008',
      colour: 'blue',
      issuedAt: '2026-10-10T00:08:00.000Z',
      period: '2026-10',
      taxNo: TAX_NO,
      branchId: 'SZ01',
      deviceId: 'dev-1',
      buyerTaxNo: '91310000BUYER00001',
      buyerName: 'Buyer SZ01 Co.',
      amount: '100.00',
      taxAmount: '13.00',
      totalAmount: '113.00',
      status: 'issued',
      source: 'ledger',
    });
    const rest = await as(clerk).get(`/v1/invoices?limit=2&cursor=${page.body.nextCursor}`);
    expect(
      [...page.body.items, ...rest.body.items].map((i: { number: string }) => i.number.slice(-2)),
    ).toEqual(['08', '03', '02', '01']);
    expect((await as(clerk).get('/v1/invoices?buyer=Buyer%20BJ01')).body.total).toBe(0);
    expect((await as(manager).get('/v1/invoices?buyer=Buyer%20BJ01')).body.total).toBe(4);
    expect(
      (await as(manager).get('/v1/invoices?from=2026-10-10&to=2026-10-11&branchId=SZ01&deviceId=dev-1')).body
        .total,
    ).toBe(4);
    expect((await as(manager).get('/v1/invoices?from=2026-10-11')).body.total).toBe(0);
    expect((await as(manager).get('/v1/invoices?number=25442000000102000004')).body.items[0].branchId).toBe(
      'BJ01',
    );
    expect((await as(manager).get('/v1/invoices?from=yesterday')).status).toBe(400);
    const bjKey = '25442000000102000004';
    const unknownKey = '25442000000109999999';
    const hidden = await as(clerk).get(`/v1/invoices/${bjKey}/timeline`);
    const unknown = await as(clerk).get(`/v1/invoices/${unknownKey}/timeline`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body).replace(bjKey, '<key>')).toBe(
      JSON.stringify(unknown.body).replace(unknownKey, '<key>'),
    );
    expect(JSON.stringify(hidden.body)).toContain('INVOICE_NOT_FOUND');
    expect((await as(manager).get(`/v1/invoices/${bjKey}/timeline`)).status).toBe(200);
    expect(
      (await as(clerk).get('/v1/invoices/25442000000101000001/timeline')).body.entries.map(
        (e: { kind: string }) => e.kind,
      ),
    ).toEqual(['finding']);
  });

  it('keeps the api-token service account working: it starts a run, audited, and lists runs newest first', async () => {
    const first = await as(API_TOKEN).post('/v1/reconciliations', { taxNo: TAX_NO, period: '2026-10' });
    expect(first.status).toBe(202);
    clock.advance(1_000);
    const second = await as(manager).post('/v1/reconciliations', { taxNo: OTHER_TAX_NO, period: '2026-10' });
    expect(second.status).toBe(202);
    const runs = await as(clerk).get('/v1/reconciliations?limit=1');
    expect(runs.body).toMatchObject({
      total: 2,
      items: [{ runId: second.body.runId, taxNo: OTHER_TAX_NO, state: 'queued', requestedBy: 'mgr-1' }],
    });
    const older = await as(clerk).get(`/v1/reconciliations?limit=1&cursor=${runs.body.nextCursor}`);
    expect(older.body).toMatchObject({
      total: 2,
      nextCursor: null,
      items: [{ runId: first.body.runId, requestedBy: 'api-token', pull: { coverage: null } }],
    });
    expect((await as(clerk).get(`/v1/reconciliations?taxNo=${TAX_NO}`)).body.total).toBe(1);
    const audit = await as(API_TOKEN).get('/v1/audit?action=reconciliation.start');
    expect(
      audit.body.items.map((a: { actor: unknown; target: { id: string } }) => [a.actor, a.target.id]),
    ).toEqual([
      [{ kind: 'person', subject: 'mgr-1', name: '王经理' }, second.body.runId],
      [{ kind: 'service', subject: 'api-token', name: 'api-token' }, first.body.runId],
    ]);
    expect((await as(API_TOKEN).get('/v1/findings')).body.total).toBe(8);
  });
});
