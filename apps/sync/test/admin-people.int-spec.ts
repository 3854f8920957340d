import { pollUntil, startTestIssuer, TestIssuer } from '@lib/testing';
import { FakeTargetAdapter } from './support/fake-target.adapter';
import { blueInvoice } from './support/invoices';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(120_000);

/** Deliveries and routing as people reach them from the console: their IdP token, their role, their branches. */
describe('sync admin API for people (real PostgreSQL + Kafka, a test IdP)', () => {
  const h = new SyncHarness();
  let issuer: TestIssuer;
  const authority = new FakeTargetAdapter('authority');
  const baiwang = new FakeTargetAdapter('baiwang');
  const mine = blueInvoice();
  const theirs = blueInvoice({ sellerTaxNo: mine.sellerTaxNo });
  const SELLER = mine.sellerTaxNo;
  let clerk: string;
  let auditor: string;
  let admin: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    await h.start(() => [authority, baiwang], issuer.env);
    clerk = await issuer.token({ sub: 'clerk-1', name: '王芳', roles: ['branch-clerk'], branches: ['sz'] });
    auditor = await issuer.token({ sub: 'auditor-1', name: '审计', roles: ['auditor'] });
    admin = await issuer.token({ sub: 'admin-7', name: '李静', roles: ['admin'] });
    await h.sendInvoiceEvent('issued', mine, undefined, 'sz');
    await h.sendInvoiceEvent('issued', theirs, undefined, 'bj');
    await pollUntil(
      () => h.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries WHERE invoice_key = ANY($1)', [[mine.number, theirs.number]]),
      (rows) => rows[0].n === 2,
      { what: 'both invoices planned' },
    );
  });
  afterAll(async () => {
    await h.stop();
    await issuer?.close();
  });

  it("shows a clerk only their branches' deliveries, and another branch's invoice as unknown", async () => {
    const listed = await h.api('GET', `/v1/deliveries?taxNo=${SELLER}`, undefined, clerk);
    expect(listed.status).toBe(200);
    const keys = (listed.body.items as { invoiceKey: string; branchId: string }[]).map((d) => [d.invoiceKey, d.branchId]);
    expect(keys).toEqual([[mine.number, 'sz']]);
    const all = await h.api('GET', `/v1/deliveries?taxNo=${SELLER}`, undefined, auditor);
    expect((all.body.items as unknown[]).length).toBe(2);
    const bj = await h.api('GET', `/v1/deliveries?branchId=bj`, undefined, auditor);
    expect((bj.body.items as { invoiceKey: string }[]).map((d) => d.invoiceKey)).toEqual([theirs.number]);
    expect(await h.api('GET', `/v1/deliveries/${mine.number}`, undefined, clerk)).toMatchObject({
      status: 200,
      body: { invoice: { branchId: 'sz' } },
    });
    const hidden = await h.api('GET', `/v1/deliveries/${theirs.number}`, undefined, clerk);
    const unknownKey = '25442999999999999999';
    const unknown = await h.api('GET', `/v1/deliveries/${unknownKey}`, undefined, clerk);
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(hidden.body.error.code).toBe('INVOICE_NOT_FOUND');
    expect(hidden.body.error.message).toBe(unknown.body.error.message.replace(unknownKey, theirs.number));
    // A clerk may retry their own branch's delivery, but another branch's is as unknown as a missing one.
    const retryHidden = await h.api('POST', `/v1/deliveries/${theirs.number}/retry`, { target: 'authority', reason: 'x' }, clerk);
    const retryUnknown = await h.api('POST', `/v1/deliveries/${unknownKey}/retry`, { target: 'authority', reason: 'x' }, clerk);
    expect(retryHidden.status).toBe(404);
    expect(retryHidden.body.error.code).toBe(retryUnknown.body.error.code);
    expect(retryHidden.body.error.message).toBe(retryUnknown.body.error.message.replace(unknownKey, theirs.number));
  });

  it('refuses changes to an auditor (403 FORBIDDEN) and to a clerk on routing', async () => {
    for (const response of [
      await h.api('POST', `/v1/deliveries/${mine.number}/retry`, { target: 'baiwang', reason: 'x' }, auditor),
      await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['baiwang'], allowFailover: false }, auditor),
      await h.api('DELETE', `/v1/routing/${SELLER}`, undefined, auditor),
      await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['baiwang'], allowFailover: false }, clerk),
    ]) {
      expect(response).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    expect((await h.api('GET', `/v1/routing/${SELLER}`, undefined, clerk)).body).toMatchObject({ explicit: false, updatedBy: null });
  });

  it("records a person's routing change and retry in the audit log, and the routing's updatedBy", async () => {
    const put = await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['baiwang'], allowFailover: true }, admin);
    expect(put).toMatchObject({
      status: 200,
      body: { explicit: true, updatedBy: { kind: 'person', subject: 'admin-7', name: '李静' } },
    });
    const retry = await h.api('POST', `/v1/deliveries/${mine.number}/retry`, { target: 'baiwang', reason: 'onboarded' }, clerk);
    expect(retry.status).toBe(202);
    expect((await h.api('DELETE', `/v1/routing/${SELLER}`, undefined, admin)).status).toBe(204);
    const audit = await h.api('GET', '/v1/audit?limit=10', undefined, auditor);
    expect(audit.status).toBe(200);
    const items = audit.body.items as { action: string; actor: { subject: string }; targetId?: string }[];
    expect(items.map((e) => [e.action, e.actor.subject])).toEqual([
      ['routing.delete', 'admin-7'],
      ['delivery.retry', 'clerk-1'],
      ['routing.update', 'admin-7'],
    ]);
    expect(items[1]).toMatchObject({
      service: 'sync',
      actor: { kind: 'person', subject: 'clerk-1', name: '王芳' },
      target: { type: 'invoice', id: mine.number },
      branchId: 'sz',
      reason: 'onboarded',
      detail: { target: 'baiwang' },
    });
    const [row] = await h.query<{ reopened_by: string | null }>(
      "SELECT reopened_by FROM deliveries WHERE invoice_key = $1 AND target = 'baiwang'",
      [mine.number],
    );
    // A delivery the retry re-opened (rather than created) names the person who asked.
    expect(row).toBeDefined();
    if (row.reopened_by !== null) expect(row.reopened_by).toMatch(/^person:clerk-1: onboarded$/);
  });

  it('answers 401 without a token, and still serves the admin-token service account', async () => {
    expect((await h.api('GET', '/v1/deliveries', undefined, null)).status).toBe(401);
    const put = await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: [], allowFailover: false });
    expect(put).toMatchObject({
      status: 200,
      body: { updatedBy: { kind: 'service', subject: 'admin-token', name: 'admin-token' } },
    });
    expect((await h.api('GET', `/v1/deliveries/${theirs.number}`)).status).toBe(200);
  });
});
