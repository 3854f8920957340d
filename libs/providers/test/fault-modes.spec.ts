import { InvoiceTargetAdapter } from '../src';
import { blue, request } from './support/invoices';
import { adaptersFor, failureOf, quietSandbox, RunningSandbox } from './support/sandbox';

// Nuonuo is a query channel: its adapter sends no upload (its lookups under faults: nuonuo.adapter.spec.ts).
type Name = 'authority' | 'baiwang';
const NAMES: Name[] = ['authority', 'baiwang'];
/** What each adapter answers to a successful upload. */
const DONE: Record<Name, string> = { authority: 'accepted', baiwang: 'accepted' };
/** The business operation the faults are restricted to (tokens are left alone). */
const UPLOAD_OP: Record<Name, string> = {
  authority: 'upload',
  baiwang: 'baiwang.output.invoice.upload',
};

describe.each(NAMES)('%s adapter under each sandbox fault mode', (name) => {
  let sandbox: RunningSandbox;
  let adapter: InvoiceTargetAdapter & { shutdown(): void };
  const fault = (spec: Record<string, unknown>) => sandbox.control.setFaults(name, { operations: [UPLOAD_OP[name]], ...spec });

  beforeAll(async () => {
    sandbox = await quietSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.control.reset();
    adapter = adaptersFor(sandbox, { timeoutMs: 300, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 300 } })[name];
    await adapter.lookup(request(blue())); // token in hand
  });
  afterEach(() => adapter.shutdown());

  it('latency below the timeout: delivered', async () => {
    fault({ latency: { fixedMs: 100 } });
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: DONE[name] });
  });

  it('latency beyond the timeout: unknown; the lookup then says whether a resend is needed, and a resend doubles nothing', async () => {
    fault({ latency: { fixedMs: 500 } });
    const req = request(blue());
    expect(await failureOf(adapter.upload(req))).toMatchObject({ kind: 'unknown', code: 'TIMEOUT' });
    await new Promise((r) => setTimeout(r, 400));
    sandbox.control.clearFaults(name);
    // The sandbox drops a request whose client went away during the injected delay (see the report).
    const looked = await adapter.lookup(req);
    if (looked.status === 'absent') expect(await adapter.upload(req)).toMatchObject({ status: DONE[name] });
    expect(sandbox.control.state()[name].duplicates).toBe(0);
  });

  it('5xx errors: unknown', async () => {
    fault({ errorRate: 1 });
    expect((await failureOf(adapter.upload(request(blue())))).kind).toBe('unknown');
  });

  it('a hang: unknown (timeout)', async () => {
    fault({ hang: {} });
    expect(await failureOf(adapter.upload(request(blue())))).toMatchObject({ kind: 'unknown', code: 'TIMEOUT' });
  });

  it('an outage (503 + Retry-After, or connections refused): not sent', async () => {
    fault({ outage: { mode: 'unavailable', retryAfterSeconds: 30 } });
    expect(await failureOf(adapter.upload(request(blue())))).toMatchObject({ kind: 'not_sent', retryAfterMs: 30_000 });
    sandbox.control.setFaults(name, { outage: { mode: 'refuse' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(await failureOf(adapter.upload(request(blue())))).toMatchObject({ kind: 'not_sent', code: 'ECONNREFUSED' });
  });

  it('rate limited (429): not sent, with the Retry-After', async () => {
    fault({ rateLimit: { limit: 0, retryAfterSeconds: 7 } });
    expect(await failureOf(adapter.upload(request(blue())))).toMatchObject({ kind: 'not_sent', retryAfterMs: 7_000 });
  });

  it('response lost after accept: unknown, then the lookup finds it (no resend needed)', async () => {
    const req = request(blue());
    fault({ responseLost: { probability: 1 } });
    expect((await failureOf(adapter.upload(req))).kind).toBe('unknown');
    expect(await adapter.lookup(req)).toMatchObject({ status: 'found' });
    expect(sandbox.control.state()[name].duplicates).toBe(0);
  });

  it('accepted but never visible: the upload is acknowledged; only reconcile can tell', async () => {
    fault({ neverVisible: { probability: 1 } });
    const req = request(blue());
    expect(await adapter.upload(req)).toMatchObject({ status: DONE[name] });
    expect(sandbox.control.state()[name].faults.neverVisible).toBe(1);
  });

  it('the breaker opens after its threshold, sends nothing while open, probes and closes after recovery', async () => {
    fault({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await failureOf(adapter.upload(request(blue())));
    expect(adapter.available).toBe(false);
    const received = sandbox.control.state()[name].received;
    expect(await failureOf(adapter.upload(request(blue())))).toMatchObject({ kind: 'not_sent', code: 'BREAKER_OPEN' });
    expect(sandbox.control.state()[name].received).toBe(received);
    sandbox.control.clearFaults(name);
    await new Promise((r) => setTimeout(r, 350));
    expect(await adapter.upload(request(blue()))).toMatchObject({ status: DONE[name] });
    expect(adapter.available).toBe(true);
  });

  it('business rejections never open the breaker', async () => {
    const invoice = blue();
    const bad = { ...invoice, lines: invoice.lines.map((l) => ({ ...l, taxCode: '123' })) };
    for (let i = 0; i < 5; i++) expect(await adapter.upload(request(bad))).toMatchObject({ status: 'rejected' });
    expect(adapter.available).toBe(true);
  });
});
