import { SystemClock } from '@lib/common';
import { Invoice } from '@lib/domain';
import { NUONUO_LINE_BY_TYPE, NUONUO_METHODS, NuonuoOrder } from '@lib/protocols';
import { InMemoryTokenStore, NuonuoAdapter } from '../src';
import { NuonuoGateway } from '../src/nuonuo/nuonuo.gateway';
import { blue, paper, redOf, request } from './support/invoices';
import { failureOf, nuonuoConnection, quietSandbox, RunningSandbox, silentLogger } from './support/sandbox';

/**
 * Nuonuo is a query channel: the adapter never submits (requestBillingNew issues a new invoice), and looks orders up
 * with queryInvoiceResult. The orders it finds are put there as Nuonuo would hold them: issued through Nuonuo under
 * our serial as the order number (an order submitted before issue 16, or one issued at Nuonuo).
 */
describe('NuonuoAdapter (query channel) against the sandbox Nuonuo platform', () => {
  let sandbox: RunningSandbox;
  let tokens: InMemoryTokenStore;
  const closers: { shutdown(): void }[] = [];
  const stats = () => sandbox.control.state().nuonuo;
  const make = (over: Parameters<typeof nuonuoConnection>[1] = {}, notFoundGraceMs = 600_000) => {
    const adapter = new NuonuoAdapter(nuonuoConnection(sandbox, over), tokens, new SystemClock(), { notFoundGraceMs }, silentLogger);
    closers.push(adapter);
    return adapter;
  };
  /** Has Nuonuo issue an invoice like `invoice` under order number `orderNo` (its own code and number). */
  const issueAtNuonuo = async (orderNo: string, invoice: Invoice) => {
    const gateway = new NuonuoGateway(nuonuoConnection(sandbox), tokens, new SystemClock(), silentLogger);
    closers.push(gateway);
    const order: NuonuoOrder = {
      orderNo,
      invoiceDate: '2026-01-05 10:00:00',
      invoiceLine: NUONUO_LINE_BY_TYPE[invoice.type],
      invoiceType: '1',
      salerTaxNum: invoice.sellerTaxNo,
      salerName: invoice.sellerName,
      buyerName: invoice.buyerName,
      buyerTaxNum: invoice.buyerTaxNo ?? undefined,
      invoiceDetail: invoice.lines.map((l) => ({ goodsName: l.name, goodsCode: l.taxCode, withTax: '0', taxRate: l.taxRate, taxExcludedAmount: l.amount, tax: l.taxAmount })),
    };
    const answer = await gateway.call(NUONUO_METHODS.submit, invoice.sellerTaxNo, { order });
    expect(answer.code).toBe('E0000');
  };

  beforeAll(async () => {
    sandbox = await quietSandbox({ nuonuo: { quota: { limit: 3, windowMs: 30 * 86_400_000 } } });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.control.reset();
    Object.assign(sandbox.control.settings.nuonuo, { ttlMs: 86_400_000, serialDailyLimit: 20, issuingMs: 3_000, sealingMs: 2_000, queryLagMs: 1_000 });
    tokens = new InMemoryTokenStore();
  });
  afterEach(() => closers.splice(0).forEach((c) => c.shutdown()));

  it('never uploads: every kind is refused NUONUO_QUERY_ONLY without a call to Nuonuo', async () => {
    const adapter = make();
    const original = blue();
    for (const req of [request(original), request(redOf(original), 'red-issued'), request(paper(), 'voided')])
      expect(await adapter.upload(req)).toMatchObject({ status: 'rejected', code: 'NUONUO_QUERY_ONLY' });
    expect(stats()).toMatchObject({ received: 0, tokenRequests: 0, accepted: 0 });
    expect(sandbox.control.state().authority.accepted).toBe(0);
  });

  it('looks an order up by our serial: issuing 20 → sealing 21 → done 2', async () => {
    const adapter = make();
    const req = request(blue());
    await issueAtNuonuo(req.serialNo, req.invoice);
    const firstSentAt = new Date();
    expect(await adapter.lookup({ ...req, firstSentAt })).toEqual({ status: 'found', state: 'pending' }); // not queryable yet
    sandbox.control.advanceClock(1_100);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'pending' }); // 20
    sandbox.control.advanceClock(2_500);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'pending' }); // 21
    sandbox.control.advanceClock(2_000);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'accepted', targetRecordId: expect.any(String) });
    expect(stats()).toMatchObject({ tokenRequests: 1, signatureFailures: 0, authFailures: 0 });
  });

  it('"not found" is pending within the grace of the first send the caller recorded, absent otherwise', async () => {
    const req = request(blue());
    expect(await make().lookup(req)).toEqual({ status: 'absent' });
    expect(await make().lookup({ ...req, firstSentAt: new Date() })).toEqual({ status: 'found', state: 'pending' });
    expect(await make().lookup({ ...req, firstSentAt: new Date(Date.now() - 600_001) })).toEqual({ status: 'absent' });
    expect(await make({}, 0).lookup({ ...req, firstSentAt: new Date() })).toEqual({ status: 'absent' });
  });

  it('22 and 24 are found but failed', async () => {
    const adapter = make();
    const failed = request(blue());
    const unsealed = request(blue());
    sandbox.control.setFaults('nuonuo', { issueFailure: { orderNos: { [failed.serialNo]: '22', [unsealed.serialNo]: '24' } } });
    await issueAtNuonuo(failed.serialNo, failed.invoice);
    await issueAtNuonuo(unsealed.serialNo, unsealed.invoice);
    sandbox.control.advanceClock(6_000);
    expect(await adapter.lookup(failed)).toMatchObject({ status: 'found', state: 'failed', code: 'NUONUO_ISSUE_FAILED' });
    expect(await adapter.lookup(unsealed)).toMatchObject({ status: 'found', state: 'failed', code: 'NUONUO_SEAL_FAILED' });
  });

  it('a lookup under faults: 5xx unknown, an outage not sent, a wrong app secret not sent and coded', async () => {
    sandbox.control.setFaults('nuonuo', { errorRate: 1, operations: [NUONUO_METHODS.query] });
    expect((await failureOf(make().lookup(request(blue())))).kind).toBe('unknown');
    sandbox.control.setFaults('nuonuo', { outage: { mode: 'unavailable', retryAfterSeconds: 30 }, operations: [NUONUO_METHODS.query] });
    expect(await failureOf(make().lookup(request(blue())))).toMatchObject({ kind: 'not_sent', retryAfterMs: 30_000 });
    sandbox.control.clearFaults('nuonuo');
    const error = await failureOf(make({ appSecret: 'not-the-secret' }).lookup(request(blue())));
    expect([error.kind, error.code]).toEqual(['not_sent', 'NUONUO_INVALID_SIGNATURE']);
  });

  it('shares the token between replicas, renews it once when it expires, and stops asking at the quota', async () => {
    const [one, two] = [make(), make()];
    await Promise.all([one.lookup(request(blue())), two.lookup(request(blue())), one.lookup(request(blue()))]);
    expect(stats().tokenRequests).toBe(1);
    sandbox.control.advanceClock(86_400_001);
    await Promise.all([one.lookup(request(blue())), two.lookup(request(blue()))]);
    expect(stats().tokenRequests).toBe(2);
    sandbox.control.advanceClock(86_400_001);
    await one.lookup(request(blue()));
    expect(stats().tokenRequests).toBe(3);
    sandbox.control.advanceClock(86_400_001);
    const quota = await failureOf(one.lookup(request(blue())));
    expect([quota.kind, quota.code, quota.retryAfterMs]).toEqual(['not_sent', 'NUONUO_TOKEN_QUOTA', 3_600_000]);
    const again = await failureOf(one.lookup(request(blue())));
    expect(again.code).toBe('NUONUO_TOKEN_QUOTA');
    expect(stats().tokenRequests).toBe(4); // the refused one, and no more
  });
});
