import { SystemClock } from '@lib/common';
import { InMemoryTokenStore, msUntilNextShanghaiMidnight, NuonuoAdapter } from '../src';
import { blue, paper, redOf, request } from './support/invoices';
import { failureOf, nuonuoConnection, quietSandbox, RunningSandbox, silentLogger } from './support/sandbox';

describe('NuonuoAdapter against the sandbox Nuonuo platform', () => {
  let sandbox: RunningSandbox;
  let tokens: InMemoryTokenStore;
  const adapters: NuonuoAdapter[] = [];
  const stats = () => sandbox.control.state().nuonuo;
  const make = (over: Parameters<typeof nuonuoConnection>[1] = {}, notFoundGraceMs = 600_000) => {
    const adapter = new NuonuoAdapter(nuonuoConnection(sandbox, over), tokens, new SystemClock(), { notFoundGraceMs }, silentLogger);
    adapters.push(adapter);
    return adapter;
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
  afterEach(() => adapters.splice(0).forEach((a) => a.shutdown()));

  it('submits (pending), then follows issuing 20 → sealing 21 → done 2', async () => {
    const adapter = make();
    const req = request(blue());
    expect(await adapter.upload(req)).toMatchObject({ status: 'pending', targetRecordId: expect.any(String) });
    expect(await adapter.lookup(req)).toEqual({ status: 'found', state: 'pending' }); // not queryable yet: recently submitted
    sandbox.control.advanceClock(1_100);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'pending' }); // 20
    sandbox.control.advanceClock(2_500);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'pending' }); // 21
    sandbox.control.advanceClock(2_000);
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found', state: 'accepted' });
    expect(stats()).toMatchObject({ tokenRequests: 1, accepted: 1, signatureFailures: 0, authFailures: 0 });
  });

  it('"not found" is absent once the not-found grace has passed (and for serials this process never sent)', async () => {
    const adapter = make({}, 0);
    const req = request(blue());
    await adapter.upload(req);
    expect(await adapter.lookup(req)).toEqual({ status: 'absent' });
    expect(await make().lookup(request(blue()))).toEqual({ status: 'absent' });
  });

  it('"not found" within the grace of the first send the caller recorded is pending, also in a new process', async () => {
    const req = request(blue());
    const firstSentAt = new Date();
    await make().upload(req);
    const restarted = make(); // another process: no memory of that submit
    expect(await restarted.lookup(req)).toEqual({ status: 'absent' });
    expect(await restarted.lookup({ ...req, firstSentAt })).toEqual({ status: 'found', state: 'pending' });
    expect(await restarted.lookup({ ...req, firstSentAt: new Date(Date.now() - 600_001) })).toEqual({ status: 'absent' });
  });

  it('22 and 24 are found but failed (a new serial is needed)', async () => {
    const adapter = make();
    const failed = request(blue());
    const unsealed = request(blue());
    sandbox.control.setFaults('nuonuo', { issueFailure: { orderNos: { [failed.serialNo]: '22', [unsealed.serialNo]: '24' } } });
    await adapter.upload(failed);
    await adapter.upload(unsealed);
    sandbox.control.advanceClock(6_000);
    expect(await adapter.lookup(failed)).toMatchObject({ status: 'found', state: 'failed', code: 'NUONUO_ISSUE_FAILED' });
    expect(await adapter.lookup(unsealed)).toMatchObject({ status: 'found', state: 'failed', code: 'NUONUO_SEAL_FAILED' });
  });

  it('E9106 (serial already there) becomes a lookup, never a failure', async () => {
    const adapter = make();
    const req = request(blue());
    await adapter.upload(req);
    expect(await adapter.upload(req)).toMatchObject({ status: 'pending' });
    sandbox.control.advanceClock(6_000);
    expect(await adapter.upload(req)).toMatchObject({ status: 'accepted' });
    expect(stats()).toMatchObject({ accepted: 1, duplicates: 2 });
  });

  it('E9613 (serial resubmitted too often today): not sent until the next Shanghai midnight', async () => {
    sandbox.control.settings.nuonuo.serialDailyLimit = 1;
    const adapter = make();
    const req = request(blue());
    await adapter.upload(req);
    const error = await failureOf(adapter.upload(req));
    expect([error.kind, error.code]).toEqual(['not_sent', 'NUONUO_SERIAL_DAILY_LIMIT']);
    expect(Math.abs((error.retryAfterMs ?? 0) - msUntilNextShanghaiMidnight(new Date()))).toBeLessThan(5_000);
  });

  it('a wrong app secret fails the HMAC-SHA1 signature check: not sent, coded', async () => {
    await make().lookup(request(blue())); // a valid token in the shared store
    const error = await failureOf(make({ appSecret: 'not-the-secret' }).upload(request(blue())));
    expect([error.kind, error.code]).toEqual(['not_sent', 'NUONUO_INVALID_SIGNATURE']);
    expect(stats()).toMatchObject({ signatureFailures: 1, accepted: 0 });
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
    const quota = await failureOf(one.upload(request(blue())));
    expect([quota.kind, quota.code, quota.retryAfterMs]).toEqual(['not_sent', 'NUONUO_TOKEN_QUOTA', 3_600_000]);
    const again = await failureOf(one.upload(request(blue())));
    expect(again.code).toBe('NUONUO_TOKEN_QUOTA');
    expect(stats().tokenRequests).toBe(4); // the refused one, and no more
  });

  it('voids and red reasons 03/04 cannot be carried: rejected with a code, nothing sent; 01/02 are mapped', async () => {
    const adapter = make();
    const original = blue();
    expect(await adapter.upload(request(paper(), 'voided'))).toMatchObject({ status: 'rejected', code: 'NUONUO_VOID_UNSUPPORTED' });
    expect(await adapter.upload(request(redOf(original, { redReason: '04' }), 'red-issued'))).toMatchObject({
      status: 'rejected',
      code: 'NUONUO_RED_REASON_UNSUPPORTED',
    });
    expect(stats().received).toBe(0);
    await adapter.upload(request(original));
    sandbox.control.advanceClock(6_000);
    const red = request(redOf(original, { redReason: '01' }), 'red-issued');
    expect(await adapter.upload(red)).toMatchObject({ status: 'pending' });
    const key = red.invoice.number;
    expect(sandbox.control.authorityRecord(key)?.invoice.redReason).toBe('01');
  });

  it('maps E4000 (bad field) to rejected', async () => {
    const invoice = blue();
    const answer = await make().upload(request({ ...invoice, lines: invoice.lines.map((l) => ({ ...l, taxCode: '123' })) }));
    expect(answer).toMatchObject({ status: 'rejected', code: 'NUONUO_BAD_FIELD' });
  });
});
