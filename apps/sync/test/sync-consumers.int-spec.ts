import { StoredToken, TOKEN_STORE, TokenStore } from '@lib/providers';
import { pollUntil } from '@lib/testing';
import { FakeTargetAdapter, unknownOutcome } from './support/fake-target.adapter';
import { blueInvoice, redOf } from './support/invoices';
import { hostedDevice } from './support/remote-ops.fixture';
import { SyncHarness } from './support/sync-harness';

jest.setTimeout(120_000);

/** Consumers and delivery against the real PostgreSQL and Kafka, with in-memory targets. */
describe('sync consumers and delivery (real PostgreSQL + Kafka, fake targets)', () => {
  const h = new SyncHarness();
  const authority = new FakeTargetAdapter('authority');
  const baiwang = new FakeTargetAdapter('baiwang');
  const nuonuo = new FakeTargetAdapter('nuonuo');
  const SELLER = blueInvoice().sellerTaxNo;

  beforeAll(async () => {
    await h.start(() => [authority, baiwang, nuonuo], { SYNC_MAX_ATTEMPTS: '3' });
    const routed = await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['baiwang'], allowFailover: true });
    expect(routed).toMatchObject({ status: 200, body: { targets: ['authority', 'baiwang'], allowFailover: true } });
  });
  afterAll(() => h.stop());

  const deliveries = (key: string) =>
    h.query<{ target: string; event_kind: string; status: string; attempts: number }>(
      'SELECT target, event_kind, status, attempts FROM deliveries WHERE invoice_key = $1 ORDER BY target, event_kind',
      [key],
    );
  const allDone = (rows: { status: string }[], n: number) => rows.length === n && rows.every((r) => r.status === 'accepted' || r.status === 'relayed');

  it('applies an issue once (redelivered id), delivers it to every routed target and publishes each outcome', async () => {
    const invoice = blueInvoice();
    const id = await h.sendInvoiceEvent('issued', invoice);
    await h.sendInvoiceEvent('issued', invoice, id);
    await h.sendInvoiceEvent('issued', invoice); // same invoice, another event id: a duplicate, not delivered again
    const rows = await pollUntil(() => deliveries(invoice.number), (r) => allDone(r, 2), { what: 'deliveries accepted' });
    expect(rows.map((r) => r.target)).toEqual(['authority', 'baiwang']);
    const results = await pollUntil(() => h.resultsFor(invoice.number), (r) => r.length === 2, { what: 'results' });
    expect(results.map((r) => `${r.target}:${r.outcome}`).sort()).toEqual(['authority:accepted', 'baiwang:accepted']);
    const events = await h.query<{ status: string; reason: string | null }>('SELECT status, reason FROM invoice_events WHERE invoice_key = $1 ORDER BY status', [invoice.number]);
    expect(events).toEqual([{ status: 'applied', reason: null }, { status: 'ignored', reason: 'DUPLICATE_ISSUE' }]);
    expect(authority.uploads.filter((u) => u.invoiceKey === invoice.number)).toHaveLength(1);
    expect(nuonuo.uploads).toHaveLength(0);
  });

  it("sends each target the issuing device's 机器编号 as the registry last announced it", async () => {
    await h.sendDeviceChanged(hostedDevice({ deviceId: 'dev-1', taxNo: SELLER, deviceNo: '661900000042', hostedOn: null }));
    await pollUntil(
      () => h.query<{ device_no: string }>("SELECT device_no FROM hosted_devices WHERE device_id = 'dev-1'"),
      (r) => r[0]?.device_no === '661900000042',
      { what: 'device projected' },
    );
    const invoice = blueInvoice();
    await h.sendInvoiceEvent('issued', invoice);
    await pollUntil(() => deliveries(invoice.number), (r) => allDone(r, 2), { what: 'deliveries accepted' });
    const sent = [...authority.uploads, ...baiwang.uploads].filter((u) => u.invoiceKey === invoice.number);
    expect(sent.map((u) => u.deviceNo)).toEqual(['661900000042', '661900000042']);
  });

  it('parks a void that arrives before its issue, and delivers the void only after the issue is accepted', async () => {
    const invoice = blueInvoice({ type: 'VAT_GENERAL', code: '3200182130', number: '0' + String(Date.now()).slice(-7), checkCode: null });
    const key = `${invoice.code}-${invoice.number}`;
    await h.sendInvoiceEvent('voided', invoice);
    await pollUntil(() => h.query<{ status: string }>('SELECT status FROM invoice_events WHERE invoice_key = $1', [key]), (r) => r[0]?.status === 'parked');
    await h.sendInvoiceEvent('issued', invoice);
    await pollUntil(() => deliveries(key), (r) => allDone(r, 4), { what: 'issue and void delivered' });
    const order = authority.uploads.filter((u) => u.invoiceKey === key).map((u) => u.kind);
    expect(order).toEqual(['issued', 'voided']);
    const view = await h.api('GET', `/v1/deliveries/${key}`);
    expect(view.body.invoice).toMatchObject({ state: 'voided', version: 2 });
    expect(view.body.events.map((e: { status: string }) => e.status)).toEqual(['applied', 'applied']);
  });

  it('holds a red invoice until its original reached each target, then red-reverses the original', async () => {
    const original = blueInvoice();
    const red = redOf(original);
    await h.sendInvoiceEvent('red-issued', red);
    await pollUntil(() => deliveries(red.number), (r) => r.length === 2);
    expect((await deliveries(red.number)).every((r) => r.status === 'pending')).toBe(true);
    await h.sendInvoiceEvent('issued', original);
    await pollUntil(() => deliveries(red.number), (r) => allDone(r, 2), { what: 'red delivered' });
    for (const target of [authority, baiwang]) {
      const keys = target.uploads.map((u) => u.invoiceKey);
      expect(keys.indexOf(original.number)).toBeLessThan(keys.indexOf(red.number));
    }
    const [state] = await pollUntil(
      () => h.query<{ state: string; red_reversed_amount: string }>('SELECT state, red_reversed_amount FROM invoices WHERE invoice_key = $1', [original.number]),
      (r) => r[0]?.state === 'red_reversed',
    );
    expect(state.red_reversed_amount).toBe('5000.00');
  });

  it('looks up after an unknown outcome and never sends twice; gives up after the last attempt, visibly', async () => {
    const lost = blueInvoice();
    authority.nextUploads = [(request) => (authority.accept(request), Promise.reject(unknownOutcome('authority')))];
    await h.sendInvoiceEvent('issued', lost);
    await pollUntil(() => deliveries(lost.number), (r) => allDone(r, 2));
    expect(authority.uploads.filter((u) => u.invoiceKey === lost.number)).toHaveLength(1);
    expect(authority.duplicates).toBe(0);
    // the lookup carries the first send the attempts recorded (an adapter may not remember it: a restart)
    const [sent] = await h.query<{ started_at: Date }>(
      `SELECT a.started_at FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
        WHERE d.invoice_key = $1 AND d.target = 'authority' AND a.action = 'upload'`,
      [lost.number],
    );
    expect(authority.lookups.find((l) => l.invoiceKey === lost.number)?.firstSentAt).toEqual(sent.started_at);

    const doomed = blueInvoice();
    baiwang.nextUploads = [unknownOutcome('baiwang', 'HTTP_502'), unknownOutcome('baiwang', 'HTTP_502'), unknownOutcome('baiwang', 'HTTP_502')];
    baiwang.nextLookups = [{ status: 'absent' }, { status: 'absent' }];
    await h.sendInvoiceEvent('issued', doomed);
    const rows = await pollUntil(() => deliveries(doomed.number), (r) => r.some((d) => d.status === 'dead'), { what: 'dead' });
    expect(rows.find((d) => d.target === 'baiwang')).toMatchObject({ status: 'dead', attempts: 3 });
    const dead = await h.api('GET', '/v1/deliveries?status=dead&target=baiwang');
    expect(dead.body.items).toEqual([expect.objectContaining({ invoiceKey: doomed.number, lastError: expect.objectContaining({ code: 'HTTP_502' }) })]);
    const results = await pollUntil(() => h.resultsFor(doomed.number), (r) => r.some((x) => x.outcome === 'dead'));
    expect(results.find((x) => x.outcome === 'dead')).toMatchObject({ target: 'baiwang', errorCode: 'HTTP_502', attempts: 3 });
  });

  it('re-opens a delivery on a re-upload command, looks it up first, and ignores a repeated command', async () => {
    const invoice = blueInvoice();
    await h.sendInvoiceEvent('issued', invoice);
    await pollUntil(() => deliveries(invoice.number), (r) => allDone(r, 2));
    const uploadsBefore = authority.uploads.length;
    await h.sendReupload(invoice.number, 'authority', 1);
    await h.sendReupload(invoice.number, 'authority', 1);
    const [row] = await pollUntil(
      () => h.query<{ generation: number; status: string; reopened_by: string }>(
        `SELECT generation, status, reopened_by FROM deliveries WHERE invoice_key = $1 AND target = 'authority'`, [invoice.number]),
      (r) => r[0]?.generation === 2 && r[0].status === 'accepted',
    );
    expect(row.reopened_by).toContain('reconcile');
    expect(authority.uploads.length).toBe(uploadsBefore); // the authority had it: found by the lookup, not sent again
    await pollUntil(() => h.resultsFor(invoice.number).filter((r) => r.target === 'authority'), (r) => r.length === 2);
    const retried = await h.api('POST', `/v1/deliveries/${invoice.number}/retry`, { target: 'nuonuo', reason: 'onboarded late' });
    expect(retried).toMatchObject({ status: 202, body: { reopened: ['issued'] } });
    await pollUntil(() => nuonuo.uploads.filter((u) => u.invoiceKey === invoice.number), (u) => u.length === 1);
  });

  it('dead-letters a message that breaks the contract and goes on with the next', async () => {
    await h.sendRaw('invoice.events.v1', 'x', '{"not json');
    await h.sendRaw('invoice.events.v1', 'x', JSON.stringify({ id: '6f1c1b8e-9d61-4d3c-8d1f-2a7f0c2b9e11', type: 'invoice.issued', version: 1, occurredAt: new Date().toISOString(), producedAt: new Date().toISOString(), source: 't', data: { invoiceKey: 'nope' } }));
    await h.sendReupload('25442999999999999999', 'authority', 1); // not in the ledger
    const after = blueInvoice();
    await h.sendInvoiceEvent('issued', after);
    await pollUntil(() => deliveries(after.number), (r) => r.length === 2);
    const dlq = await pollUntil(() => h.dlq.messages, (m) => m.length === 3, { what: 'three dead letters' });
    expect(dlq.map((m) => m.headers['dlq-error-code']).sort()).toEqual(['BAD_JSON', 'INVOICE_NOT_FOUND', 'SCHEMA_VIOLATION']);
  });

  it('rolls the whole message back when its transaction fails, and applies it once on the retry', async () => {
    const invoice = blueInvoice();
    // A sequence is not transactional: it remembers the failure the rolled-back transaction cannot.
    await h.query('CREATE SEQUENCE fail_once_seq');
    await h.query(`CREATE FUNCTION fail_once_fn() RETURNS trigger AS $$
      BEGIN
        IF NEW.invoice_key = '${invoice.number}' AND nextval('fail_once_seq') = 1 THEN
          RAISE EXCEPTION 'injected failure after the ledger insert';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await h.query('CREATE TRIGGER fail_once_trg AFTER INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fail_once_fn()');
    await h.sendInvoiceEvent('issued', invoice);
    await pollUntil(() => deliveries(invoice.number), (r) => allDone(r, 2));
    const [seq] = await h.query<{ last_value: string }>('SELECT last_value FROM fail_once_seq');
    expect(Number(seq.last_value)).toBeGreaterThan(1); // it did fail once, then ran again
    expect(await h.query('SELECT 1 FROM invoice_history WHERE invoice_key = $1', [invoice.number])).toHaveLength(1);
    expect(await h.query('SELECT 1 FROM invoice_events WHERE invoice_key = $1', [invoice.number])).toHaveLength(1);
    expect(authority.uploads.filter((u) => u.invoiceKey === invoice.number)).toHaveLength(1);
  });

  it('protects the admin API with the platform AuthGuard (SYNC_ADMIN_TOKEN is the admin-token account)', async () => {
    expect((await h.api('GET', '/v1/routing', undefined, null)).status).toBe(401);
    expect((await h.api('GET', '/v1/routing', undefined, 'wrong')).body.error.code).toBe('INVALID_TOKEN');
    expect((await h.api('PUT', `/v1/routing/${SELLER}`, { platforms: ['sap'], allowFailover: true })).status).toBe(400);
    expect((await h.api('GET', '/v1/deliveries/not-a-key')).status).toBe(400);
    expect((await h.api('GET', '/v1/deliveries/25442000000000000001')).status).toBe(404);
  });

  it('renews a shared platform token once when several callers find it expired at the same time', async () => {
    const store = h.app.get<TokenStore>(TOKEN_STORE);
    let fetches = 0;
    const fetch = async (): Promise<StoredToken> => {
      fetches++;
      await new Promise((r) => setTimeout(r, 50));
      return { accessToken: `token-${fetches}`, expiresAt: new Date(Date.now() + 3_600_000) };
    };
    const valid = (t: StoredToken) => t.expiresAt.getTime() > Date.now() + 60_000;
    const tokens = await Promise.all(Array.from({ length: 6 }, () => store.renew('nuonuo:app', fetch, valid)));
    expect(fetches).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(await store.get('nuonuo:app')).toMatchObject({ accessToken: 'token-1' });
  });
});
