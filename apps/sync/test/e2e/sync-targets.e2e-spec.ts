import { Invoice } from '@lib/domain';
import { pollUntil } from '@lib/testing';
import { TargetAdapters } from '../../src/targets/target-adapters';
import { createTargetAdapters } from '../../src/targets/target-adapters.factory';
import { blueInvoice, digitalNumber, redOf } from '../support/invoices';
import { SyncHarness } from '../support/sync-harness';
import { directAuthorityUploads, e2eSandbox, newSeller, RunningSandbox, syncEnvFor } from './support/sandbox-env';

jest.setTimeout(90_000);

type Row = { invoice_key: string; target: string; event_kind: string; status: string; error_code: string | null; generation: number };

/** Sync in this process (real PostgreSQL + Kafka) delivering to the sandbox through the real adapters. */
describe('sync → authority and Baiwang; Nuonuo only looked up (sandbox)', () => {
  const h = new SyncHarness();
  let sandbox: RunningSandbox;
  const state = () => sandbox.control.state();
  const keyOf = (i: Invoice) => (i.code ? `${i.code}-${i.number}` : i.number);
  const rows = (keys: string[]) =>
    h.query<Row>('SELECT invoice_key, target, event_kind, status, last_error_code AS error_code, generation FROM deliveries WHERE invoice_key = ANY($1)', [keys]);
  const FINAL = ['accepted', 'rejected', 'dead', 'relayed'];
  const settled = (keys: string[], expected: number, timeoutMs = 30_000) =>
    pollUntil(() => rows(keys), (r) => r.length === expected && r.every((d) => FINAL.includes(d.status)), { timeoutMs, what: 'deliveries final' });
  const adapter = (target: 'authority' | 'baiwang' | 'nuonuo') => h.app.get(TargetAdapters).get(target)!;
  const paperNow = (seller: string) =>
    blueInvoice({ type: 'VAT_GENERAL', code: '3200182130', number: digitalNumber().slice(-8), checkCode: '12345678901234567890', sellerTaxNo: seller, issuedAt: new Date().toISOString() });

  beforeAll(async () => {
    sandbox = await e2eSandbox();
    await h.start((tokens) => createTargetAdapters(h.config, tokens), syncEnvFor(sandbox));
  });
  afterAll(async () => {
    await h.stop();
    await sandbox.close();
  });

  it('happy path: issue, red and void reach the authority and Baiwang once; nothing is sent to Nuonuo', async () => {
    sandbox.control.reset();
    const seller = newSeller();
    const blues = [0, 1, 2, 3].map(() => blueInvoice({ sellerTaxNo: seller }));
    const red = redOf(blues[0], { redReason: '02' });
    const paper = paperNow(seller);
    for (const invoice of [...blues, paper]) await h.sendInvoiceEvent('issued', invoice);
    await h.sendInvoiceEvent('red-issued', red);
    await h.sendInvoiceEvent('voided', paper);
    const keys = [...blues, red, paper].map(keyOf);
    const done = await settled(keys, 14);
    expect(done.filter((d) => d.status !== 'accepted')).toEqual([]);
    expect(done.some((d) => d.target === 'nuonuo')).toBe(false);
    const results = await pollUntil(() => keys.flatMap((k) => h.resultsFor(k)), (r) => r.length === 14, { what: '14 results' });
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(14);
    const s = state();
    expect([s.baiwang.duplicates, directAuthorityUploads(s), s.nuonuo.received]).toEqual([0, 7, 0]);
    expect([s.authority.signatureFailures, s.baiwang.signatureFailures]).toEqual([0, 0]);
  });

  it('tokens that expire at the platforms are renewed once and the deliveries go through', async () => {
    const before = state();
    sandbox.control.advanceClock(25 * 3_600_000); // past Baiwang's 2 h and Nuonuo's 24 h tokens
    const seller = newSeller();
    const invoices = [blueInvoice({ sellerTaxNo: seller }), blueInvoice({ sellerTaxNo: seller })];
    for (const invoice of invoices) await h.sendInvoiceEvent('issued', invoice);
    const done = await settled(invoices.map(keyOf), 4);
    expect(done.every((d) => d.status === 'accepted')).toBe(true);
    const after = state();
    expect(after.baiwang.tokenRequests - before.baiwang.tokenRequests).toBe(1);
  });

  it('errors, hangs, lost responses and rate limits: everything arrives once (lookup before any resend)', async () => {
    sandbox.control.reset();
    const seller = newSeller();
    await h.api('PUT', `/v1/routing/${seller}`, { platforms: ['baiwang'], allowFailover: false });
    sandbox.control.setFaults('authority', { errorRate: 0.2, hang: { probability: 0.1 }, responseLost: { probability: 0.3 }, rateLimit: { limit: 40, windowMs: 1000, retryAfterSeconds: 1 } });
    sandbox.control.setFaults('baiwang', { errorRate: 0.2, responseLost: { probability: 0.3 }, latency: { fixedMs: 20, jitterMs: 30 } });
    const invoices = Array.from({ length: 12 }, () => blueInvoice({ sellerTaxNo: seller }));
    for (const invoice of invoices) await h.sendInvoiceEvent('issued', invoice);
    const done = await settled(invoices.map(keyOf), 24, 60_000);
    expect(done.filter((d) => d.status !== 'accepted')).toEqual([]);
    const s = state();
    expect(s.authority.faults.responsesLost + s.baiwang.faults.responsesLost).toBeGreaterThan(0);
    expect(s.baiwang.duplicates).toBe(0);
    // At most one direct upload per invoice: a lookup after a hang may find the copy Baiwang relayed.
    expect(directAuthorityUploads(s)).toBeLessThanOrEqual(12);
    sandbox.control.clearFaults();
  });

  it('Nuonuo cannot be routed to: 400 PLATFORM_QUERY_ONLY, the routing unchanged', async () => {
    const seller = newSeller();
    await h.api('PUT', `/v1/routing/${seller}`, { platforms: ['baiwang'], allowFailover: true });
    const refused = await h.api('PUT', `/v1/routing/${seller}`, { platforms: ['baiwang', 'nuonuo'], allowFailover: false });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'PLATFORM_QUERY_ONLY', details: [{ code: 'PLATFORM_QUERY_ONLY', field: 'body.platforms.1' }] } });
    expect((await h.api('GET', `/v1/routing/${seller}`)).body).toMatchObject({ platforms: ['baiwang'], allowFailover: true });
  });

  it('the breaker opens within its threshold, lets only probes through while open, and closes after recovery', async () => {
    sandbox.control.reset();
    const seller = newSeller();
    await h.api('PUT', `/v1/routing/${seller}`, { platforms: [], allowFailover: false });
    sandbox.control.setFaults('authority', { errorRate: 1 });
    const invoices = Array.from({ length: 10 }, () => blueInvoice({ sellerTaxNo: seller }));
    for (const invoice of invoices) await h.sendInvoiceEvent('issued', invoice);
    await pollUntil(() => adapter('authority').available, (a) => !a, { what: 'breaker open' });
    expect(state().authority.faults.errors).toBeLessThanOrEqual(5 + 16); // the threshold (+ calls already in flight)
    const atOpen = state().authority.received;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(state().authority.received - atOpen).toBeLessThanOrEqual(3); // one probe per reset period
    sandbox.control.clearFaults('authority');
    const done = await settled(invoices.map(keyOf), 10, 30_000);
    expect(done.every((d) => d.status === 'accepted')).toBe(true);
    expect(adapter('authority').available).toBe(true);
  });

  it('fails over: with the authority down, a taxpayer that allows it is relayed through Baiwang', async () => {
    sandbox.control.reset();
    const seller = newSeller();
    await h.api('PUT', `/v1/routing/${seller}`, { platforms: ['baiwang'], allowFailover: true });
    sandbox.control.setFaults('authority', { outage: { mode: 'refuse', durationMs: 8_000 } });
    const invoices = Array.from({ length: 3 }, () => blueInvoice({ sellerTaxNo: seller }));
    for (const invoice of invoices) await h.sendInvoiceEvent('issued', invoice);
    const done = await settled(invoices.map(keyOf), 6, 30_000);
    const authority = done.filter((d) => d.target === 'authority');
    expect(authority.map((d) => d.status)).toEqual(['relayed', 'relayed', 'relayed']);
    const relayed = invoices.flatMap((i) => h.resultsFor(keyOf(i))).filter((r) => r.target === 'authority');
    expect(relayed.every((r) => r.outcome === 'relayed' && r.relayedVia === 'baiwang')).toBe(true);
    for (const invoice of invoices) expect(sandbox.control.authorityRecord(invoice.number)?.source).toBe('baiwang');
    sandbox.control.clearFaults('authority');
  });
});
