import { ManualClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { pollUntil } from '@lib/testing';
import { digitalRedInvoice, digitalSpecialInvoice } from '../../../libs/domain/src/testing/invoice.fixture';
import { authorityRecord, FakeAuthorityChannel } from './support/fake-authority.channel';
import { ReconcileHarness } from './support/reconcile-harness';

jest.setTimeout(120_000);

const ISSUED = '2026-10-10T10:00:00+08:00';
const RECEIVED = '2026-10-10T02:01:00.000Z';
const invoice = (n: number, over: Partial<Invoice> = {}) => digitalSpecialInvoice({ number: `254420000001000000${String(n).padStart(2, '0')}`, issuedAt: ISSUED, ...over });
const record = (i: Invoice, status: 'NORMAL' | 'VOIDED' | 'RED_REVERSED' = 'NORMAL') =>
  authorityRecord(i.number, { type: i.type, issuedAt: i.issuedAt, amount: i.amount, taxAmount: i.taxAmount, totalAmount: i.totalAmount, status });

/** The whole service: Kafka projections, a run through the worker, the API and the published findings. */
describe('reconcile app (real PostgreSQL + Kafka, fake authority channel)', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  const authority = new FakeAuthorityChannel('authority');
  const [a, b, c, d, f] = [1, 2, 3, 4, 5].map((n) => invoice(n));
  const red = digitalRedInvoice({ number: '25442000000100000099', issuedAt: ISSUED, original: { code: null, number: f.number } });
  const TAX_NO = a.sellerTaxNo;

  const issue = (kind: 'issued' | 'red-issued' | 'voided', inv: Invoice, id?: string) =>
    h.send(
      'invoice.events.v1',
      kind === 'issued' ? 'invoice.issued' : kind === 'voided' ? 'invoice.voided' : 'invoice.red-issued',
      { invoiceKey: inv.number, invoice: { ...inv, lines: [...inv.lines] }, deviceId: 'dev-1', branchId: 'sz', taxNo: inv.sellerTaxNo, receivedAt: RECEIVED },
      id,
    );
  const accepted = (inv: Invoice, at: string) =>
    h.send('sync.results.v1', 'sync.result', { invoiceKey: inv.number, taxNo: TAX_NO, target: 'authority', outcome: 'accepted', requestId: `req-${inv.number}`, attempts: 1, at });

  beforeAll(async () => {
    await h.start([authority], clock);
    const first = await issue('issued', a);
    await issue('issued', a, first); // redelivered: applied once
    for (const inv of [b, c, d, f]) await issue('issued', inv);
    await issue('issued', { ...c, amount: '4383.22', totalAmount: '4900.00' }); // same key, another content
    await issue('voided', d);
    await issue('red-issued', red);
    for (const inv of [a, c, d, f, red]) await accepted(inv, '2026-10-10T03:00:00Z');
    await accepted(b, '2026-11-03T02:00:00Z');
    await h.send('device.events.v1', 'device.clear-card', { period: '2026-10', status: 'succeeded', at: '2026-11-02T01:00:00Z', deviceId: 'dev-1', branchId: 'sz', taxNo: TAX_NO, receivedAt: RECEIVED });
    await h.send('device.events.v1', 'device.report', {
      period: '2026-09', totals: [{ type: 'DIGITAL_SPECIAL', count: 0, amount: '0.00', taxAmount: '0.00' }], deviceId: 'dev-1', branchId: 'sz', taxNo: TAX_NO, receivedAt: RECEIVED,
    });
    await h.send('device.events.v1', 'device.monitor', {
      at: '2026-11-19T00:00:00Z', lockDate: '2027-01-31', offlineSince: null, offlineAmount: '0.00', offlineAmountLimit: '10000.00', offlineHoursLimit: 72,
      deviceId: 'dev-1', branchId: 'sz', taxNo: TAX_NO, receivedAt: RECEIVED,
    });
    authority.records = [record(a), record(c), record(d), record(f, 'RED_REVERSED'), record(red)];
  });
  afterAll(() => h.stop());

  it('projects invoice, delivery and device events once each', async () => {
    await pollUntil(() => h.query('SELECT 1 FROM device_monitors'), (r) => r.length === 1, { what: 'device events', timeoutMs: 60_000 });
    const ledger = await pollUntil(
      () => h.query<{ invoice_key: string; state: string; total_amount: string }>('SELECT invoice_key, state, total_amount FROM ledger_invoices ORDER BY invoice_key'),
      (r) => r.length === 6 && r.some((x) => x.state === 'red_reversed'),
      { what: 'ledger projection' },
    );
    expect(ledger.map((r) => `${r.invoice_key.slice(-2)}:${r.state}:${r.total_amount}`)).toEqual([
      '01:issued:5000.00', '02:issued:5000.00', '03:issued:5000.00', '04:voided:5000.00', '05:red_reversed:5000.00', '99:issued:-5000.00',
    ]);
    await pollUntil(() => h.query('SELECT 1 FROM sync_deliveries'), (r) => r.length === 6, { what: 'sync results' });
    expect(await h.query('SELECT COUNT(*)::int AS n FROM ledger_events')).toEqual([{ n: 8 }]);
    expect(await h.query('SELECT invoice_key, COUNT(*)::int AS n FROM ledger_invoice_versions GROUP BY invoice_key HAVING COUNT(*) > 1')).toEqual([{ invoice_key: c.number, n: 2 }]);
  });

  it('rejects a call without the bearer token', async () => {
    expect((await h.api('GET', '/v1/findings', undefined, null)).status).toBe(401);
    expect((await h.api('GET', '/v1/findings', undefined, 'wrong')).status).toBe(401);
  });

  it('runs a reconciliation on demand and reports exactly the real problems', async () => {
    const accepted202 = await h.api('POST', '/v1/reconciliations', { taxNo: TAX_NO, period: '2026-10' });
    expect(accepted202.status).toBe(202);
    const run = await pollUntil(() => h.api('GET', `/v1/reconciliations/${accepted202.body.runId}`), (r) => ['completed', 'incomplete', 'failed'].includes(r.body.state), { what: 'run' });
    expect(run.body).toMatchObject({ state: 'completed', pull: { channel: 'authority', records: 5, complete: true }, incompleteReason: null });
    // (past the deadline, the device that cleared October has no 抄报 for it: REPORT_MISSING)
    expect(run.body.counts.discrepancies).toEqual({ MISSING_IN_AUTHORITY: 1, DUPLICATE_INVOICE: 1, STATUS_MISMATCH: 1, REPORT_MISSING: 1 });
    const list = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&period=2026-10&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.total).toBe(4);
    const rest = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&period=2026-10&limit=2&cursor=${list.body.nextCursor}`);
    const all = [...list.body.items, ...rest.body.items];
    expect(rest.body.nextCursor ?? null).toBeNull();
    expect(all.map((x: { type: string }) => x.type).sort()).toEqual(['DUPLICATE_INVOICE', 'MISSING_IN_AUTHORITY', 'REPORT_MISSING', 'STATUS_MISMATCH']);
    const missing = all.find((x: { type: string }) => x.type === 'MISSING_IN_AUTHORITY');
    expect(missing).toMatchObject({
      state: 'remediating', severity: 'critical', taxNo: TAX_NO, branchId: 'sz', period: '2026-10',
      invoice: { type: 'DIGITAL_SPECIAL', code: null, number: b.number },
      explanation: `电子发票(增值税专用发票) ${b.number}已于11月3日被税局接收，但17天后税局仍无记录；已申请补传（第1次，共3次）。`,
      history: [expect.objectContaining({ fromState: null, toState: 'remediating', actor: { kind: 'service', subject: 'reconcile', name: 'reconcile' } })],
    });
    const published = await pollUntil(() => h.findings.messages, (m) => m.length === 4, { what: 'finding events' });
    expect(published.every((m) => m.key === TAX_NO)).toBe(true);
    const commands = await pollUntil(() => h.commands.messages, (m) => m.length === 1, { what: 're-upload command' });
    expect(JSON.parse(commands[0].value ?? '{}').data).toMatchObject({ invoiceKey: b.number, target: 'authority', attempt: 1, findingId: missing.id });
  });

  it('records a person acting on a finding, and shows one invoice’s whole timeline', async () => {
    const list = await h.api('GET', `/v1/findings?type=DUPLICATE_INVOICE`);
    const id = list.body.items[0].id;
    const ignored = await h.api('POST', `/v1/findings/${id}/actions`, { action: 'ignore', reason: 'the second issue was a test print' });
    expect(ignored.status).toBe(200);
    expect(ignored.body).toMatchObject({ state: 'ignored', history: [expect.anything(), expect.objectContaining({ action: 'ignore', actor: { kind: 'service', subject: 'api-token', name: 'api-token' }, reason: 'the second issue was a test print' })] });
    expect((await h.api('POST', `/v1/findings/${id}/actions`, { action: 'ignore', reason: 'again' })).status).toBe(409);
    expect((await h.api('POST', `/v1/findings/${id}/actions`, { action: 'explode', reason: 'x' })).status).toBe(400);
    const timeline = await h.api('GET', `/v1/invoices/${b.number}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['invoice-event', 'sync-result', 'finding']);
  });
});
