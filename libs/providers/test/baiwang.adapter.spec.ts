import { SystemClock } from '@lib/common';
import { BaiwangAdapter, InMemoryTokenStore } from '../src';
import { blue, paper, redOf, request } from './support/invoices';
import { baiwangConnection, failureOf, OffsetClock, quietSandbox, RunningSandbox, silentLogger } from './support/sandbox';

describe('BaiwangAdapter against the sandbox Baiwang gateway', () => {
  let sandbox: RunningSandbox;
  let tokens: InMemoryTokenStore;
  const adapters: BaiwangAdapter[] = [];
  const stats = () => sandbox.control.state().baiwang;
  const make = (clock = new SystemClock(), over: Parameters<typeof baiwangConnection>[1] = {}) => {
    const adapter = new BaiwangAdapter(baiwangConnection(sandbox, over), tokens, clock, silentLogger);
    adapters.push(adapter);
    return adapter;
  };

  beforeAll(async () => {
    sandbox = await quietSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.control.reset();
    Object.assign(sandbox.control.settings.baiwang, { accessTokenTtlMs: 7_200_000, refreshTokenTtlMs: 30 * 86_400_000 });
    tokens = new InMemoryTokenStore();
  });
  afterEach(() => adapters.splice(0).forEach((a) => a.shutdown()));

  it('grants a token once, signs uploads (accepted) and finds them by serialNo', async () => {
    const adapter = make();
    const req = request(blue());
    expect(await adapter.upload(req)).toMatchObject({ status: 'accepted', targetRecordId: req.serialNo });
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: 'accepted' });
    expect(await adapter.lookup(req)).toEqual({ status: 'found', state: 'accepted', targetRecordId: req.serialNo });
    expect(await adapter.lookup(request(blue()))).toEqual({ status: 'absent' });
    expect(stats()).toMatchObject({ tokenRequests: 1, accepted: 2, signatureFailures: 0, authFailures: 0 });
  });

  it('a wrong app secret fails the MD5 signature check: not sent, coded', async () => {
    await make().lookup(request(blue())); // a valid token in the shared store
    const wrong = make(new SystemClock(), { appSecret: 'not-the-secret' });
    const error = await failureOf(wrong.upload(request(blue())));
    expect([error.kind, error.code]).toEqual(['not_sent', 'BAIWANG_INVALID_SIGNATURE']);
    expect(stats()).toMatchObject({ signatureFailures: 1, accepted: 0 });
  });

  it('wrong user credentials: the grant is refused, not sent with a clear code', async () => {
    const error = await failureOf(make(new SystemClock(), { password: 'nope' }).upload(request(blue())));
    expect([error.kind, error.code]).toEqual(['not_sent', 'BAIWANG_OAUTH_FAILED']);
  });

  it('refreshes the token with the refresh grant before it expires (no expired answer seen)', async () => {
    sandbox.control.settings.baiwang.accessTokenTtlMs = 600_000;
    const clock = new OffsetClock();
    const adapter = make(clock);
    await adapter.upload(request(blue()));
    clock.offsetMs = 310_000; // inside the refresh margin, within Baiwang's timestamp window
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: 'accepted' });
    expect(stats()).toMatchObject({ tokenRequests: 2, authFailures: 0 });
  });

  it('an expired token answer: renews (refresh grant) and sends once more', async () => {
    sandbox.control.settings.baiwang.accessTokenTtlMs = 60_000;
    const adapter = make();
    await adapter.upload(request(blue()));
    sandbox.control.advanceClock(61_000);
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: 'accepted' });
    expect(stats()).toMatchObject({ tokenRequests: 2, authFailures: 1, accepted: 2 });
  });

  it('a spent refresh token falls back to the password grant', async () => {
    Object.assign(sandbox.control.settings.baiwang, { accessTokenTtlMs: 60_000, refreshTokenTtlMs: 120_000 });
    const adapter = make();
    await adapter.upload(request(blue()));
    sandbox.control.advanceClock(121_000);
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: 'accepted' });
    expect(stats()).toMatchObject({ tokenRequests: 3, accepted: 2 });
  });

  it('maps errorResponse codes: invalid invoice and serial conflict are rejected; red and void are carried', async () => {
    const adapter = make();
    expect(await adapter.upload(request(blue({ taxAmount: '1.00' })))).toMatchObject({ status: 'rejected', code: 'BAIWANG_INVOICE_INVALID' });
    const first = request(blue());
    await adapter.upload(first);
    const conflict = request(blue(), 'issued', first.serialNo);
    expect(await adapter.upload(conflict)).toMatchObject({ status: 'rejected', code: 'BAIWANG_SERIAL_CONFLICT' });
    expect(await adapter.upload(request(redOf(first.invoice), 'red-issued'))).toMatchObject({ status: 'accepted' });
    const invoice = paper();
    await adapter.upload(request(invoice));
    expect(await adapter.upload(request(invoice, 'voided'))).toMatchObject({ status: 'accepted' });
    expect(sandbox.control.authorityRecord(`${invoice.code}${invoice.number}`)?.invoice.status).toBe('VOIDED');
    expect(adapter.available).toBe(true);
  });
});
