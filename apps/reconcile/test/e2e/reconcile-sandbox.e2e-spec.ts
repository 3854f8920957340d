import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { ManualClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { pollUntil } from '@lib/testing';
import { digitalSpecialInvoice } from '../../../../libs/domain/src/testing/invoice.fixture';
import { ReconcileHarness } from '../support/reconcile-harness';

jest.setTimeout(120_000);

const invoice = (n: number): Invoice =>
  digitalSpecialInvoice({ number: `254420000002000000${String(n).padStart(2, '0')}`, issuedAt: '2026-10-10T10:00:00+08:00' });

/** The real authority reader (libs/providers) against the sandbox: authority-only records and an outage. */
describe('reconcile against the sandbox authority', () => {
  const h = new ReconcileHarness();
  const clock = new ManualClock('2026-11-20T02:00:00Z');
  let sandbox: RunningSandbox;
  const [ours, theirs] = [invoice(1), invoice(2)];
  const TAX_NO = ours.sellerTaxNo;

  beforeAll(async () => {
    sandbox = await startSandbox({ logLevel: 'silent', seed: 'reconcile-e2e', authority: { visibilityLagMs: 0 } });
    sandbox.control.seedRecords([{ invoice: ours }, { invoice: theirs }]);
    await h.start(undefined, clock, {
      AUTHORITY_BASE_URL: sandbox.urls.authority,
      AUTHORITY_APP_ID: DEV_CREDENTIALS.authority.appId,
      AUTHORITY_APP_SECRET: DEV_CREDENTIALS.authority.appSecret,
      AUTHORITY_TIMEOUT_MS: '1000',
      RECONCILE_PULL_PAGE_ATTEMPTS: '2',
    });
    await h.send('invoice.events.v1', 'invoice.issued', {
      invoiceKey: ours.number, invoice: { ...ours, lines: [...ours.lines] }, deviceId: 'dev-1', branchId: 'sz', taxNo: TAX_NO, receivedAt: '2026-10-10T02:01:00Z',
    });
    await h.send('device.events.v1', 'device.clear-card', { period: '2026-10', status: 'succeeded', at: '2026-11-02T01:00:00Z', deviceId: 'dev-1', branchId: 'sz', taxNo: TAX_NO, receivedAt: '2026-11-02T01:00:00Z' });
    await pollUntil(() => h.query('SELECT 1 FROM ledger_invoices UNION ALL SELECT 1 FROM device_clear_cards'), (r) => r.length === 2, { what: 'projections', timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await h.stop();
    await sandbox?.close();
  });

  const reconcile = async () => {
    const { body } = await h.api('POST', '/v1/reconciliations', { taxNo: TAX_NO, period: '2026-10' });
    return (await pollUntil(() => h.api('GET', `/v1/reconciliations/${body.runId}`), (r) => !['queued', 'running'].includes(r.body.state), { what: 'run' })).body;
  };

  it('pulls the authority list through the real adapter and finds the invoice only the authority has', async () => {
    const run = await reconcile();
    expect(run).toMatchObject({ state: 'completed', pull: { channel: 'authority', records: 2, complete: true } });
    // dev-1 cleared 2026-10 without its 抄报
    expect(run.counts.discrepancies).toEqual({ MISSING_IN_LEDGER: 1, REPORT_MISSING: 1 });
    const findings = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&type=MISSING_IN_LEDGER`);
    expect(findings.body.items).toHaveLength(1);
    expect(findings.body.items[0].explanation).toBe(
      `电子发票(增值税专用发票) ${theirs.number}（价税合计 5,000.00 元，10月10日开具）在税局有记录，但我方账簿中没有；已按税局记录补录，需专人确认。`,
    );
  });

  it('ends incomplete during an authority outage, with the reason, and leaves the findings alone', async () => {
    sandbox.control.setFaults('authority', { outage: { durationMs: 60_000, retryAfterSeconds: 1 } });
    clock.advance(3_600_000);
    const run = await reconcile();
    expect(run.state).toBe('incomplete');
    expect(run.incompleteReason).toMatch(/^the authority pull did not finish, so no MISSING_\* finding was opened: authority: /);
    const open = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&state=open`);
    // the findings stay as they were; past the filing deadline, a run that cannot finish is said at once
    expect(open.body.items.map((f: { type: string }) => f.type).sort()).toEqual([
      'MISSING_IN_LEDGER',
      'RECONCILIATION_INCOMPLETE',
      'REPORT_MISSING',
    ]);
    sandbox.control.clearFaults('authority');
  });

  it('verifies each ledger invoice (查验) when only the list is down, records the channel, and proves no MISSING_*', async () => {
    sandbox.control.setFaults('authority', { outage: { durationMs: 60_000, retryAfterSeconds: 1 }, operations: ['list'] });
    clock.advance(3_600_000);
    const run = await reconcile();
    expect(run).toMatchObject({ state: 'incomplete', pull: { channel: 'per-invoice', records: 1, complete: false } });
    expect(run.incompleteReason).toContain('per-invoice: 1 of 1 ledger invoices checked; found 1 via authority-verify (coverage per-invoice');
    expect(await h.query('SELECT channel, invoice_key FROM authority_staged WHERE run_id = $1', [run.runId])).toEqual([
      { channel: 'authority-verify', invoice_key: ours.number },
    ]);
    const open = await h.api('GET', `/v1/findings?taxNo=${TAX_NO}&state=open`);
    expect(open.body.items.map((f: { type: string }) => f.type).sort()).toEqual([
      'MISSING_IN_LEDGER',
      'RECONCILIATION_INCOMPLETE',
      'REPORT_MISSING',
    ]);
    sandbox.control.clearFaults('authority');
  });
});
