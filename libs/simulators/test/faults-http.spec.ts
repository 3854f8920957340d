import { AxiosError } from 'axios';
import { BAIWANG_METHODS, NUONUO_METHODS } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { eventually } from './support/http-client';
import { keyOf, makeInvoice, SELLER } from './support/invoice.fixtures';
import { makeOrder } from './support/nuonuo.fixtures';
import { baiwangCall, baiwangToken, nuonuoCall, nuonuoToken } from './support/platform.clients';

const errorCode = async (promise: Promise<unknown>): Promise<string | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (error: unknown) {
    return (error as AxiosError).code;
  }
};

describe('fault injection on the HTTP simulators', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const path = `/v1/taxpayers/${SELLER}/invoices`;
  const list = (timeoutMs?: number) =>
    call('GET', `${path}?period=2024-05&pageSize=10`, undefined, { timeoutMs });
  const upload = (invoice = makeInvoice(), timeoutMs?: number) =>
    call('POST', path, { kind: 'issued', invoice }, { timeoutMs });

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'faults', authority: { visibilityLagMs: 0 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('adds latency (fixed + seeded jitter)', async () => {
    sandbox.control.setFaults('authority', { latency: { fixedMs: 150, jitterMs: 50 } });
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(sandbox.control.state().authority.faults.latency).toBe(1);
  });

  it('answers 5xx at the configured rate without doing the work', async () => {
    sandbox.control.setFaults('authority', { errorRate: 1, errorStatus: 502 });
    const invoice = makeInvoice();
    const res = await upload(invoice);
    expect([res.status, res.body.code]).toEqual([502, '9999']);
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toBeNull();
  });

  it('hangs so that the client times out', async () => {
    sandbox.control.setFaults('authority', { hang: {} });
    expect(await errorCode(list(300))).toBe('ECONNABORTED');
    expect(sandbox.control.state().authority.faults.hangs).toBe(1);
  });

  it('is unavailable (503 + Retry-After) during an outage window, then recovers', async () => {
    sandbox.control.setFaults('authority', { outage: { durationMs: 300, retryAfterSeconds: 7 } });
    const down = await list();
    expect([down.status, down.headers['retry-after'], down.body.code]).toEqual([503, '7', '9002']);
    await eventually(async () => ((await list()).status === 200 ? true : undefined), 3000);
  });

  it('refuses connections during a "refuse" outage, then listens again on the same port', async () => {
    sandbox.control.setFaults('authority', { outage: { mode: 'refuse', durationMs: 400 } });
    await eventually(async () => ((await errorCode(list(500))) === 'ECONNREFUSED' ? true : undefined), 2000);
    await eventually(async () => ((await errorCode(list(500))) === undefined ? true : undefined), 3000);
    const future = new Date(Date.now() + 200).toISOString();
    sandbox.control.setFaults('authority', {
      outage: { mode: 'refuse', from: future, to: new Date(Date.now() + 500).toISOString() },
    });
    expect((await list()).status).toBe(200);
    await eventually(async () => ((await errorCode(list(500))) === 'ECONNREFUSED' ? true : undefined), 2000);
    sandbox.control.clearFaults();
    await eventually(async () => ((await errorCode(list(500))) === undefined ? true : undefined), 2000);
  });

  it('rate-limits with 429 + Retry-After (authority, Baiwang) and E9613 (Nuonuo)', async () => {
    sandbox.control.setFaults('authority', {
      rateLimit: { limit: 2, windowMs: 60_000, retryAfterSeconds: 3 },
    });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const limited = await list();
    expect([limited.status, limited.headers['retry-after'], limited.body.code]).toEqual([429, '3', '9001']);
    const token = (await baiwangToken(sandbox)).body.response!.access_token;
    sandbox.control.setFaults('baiwang', { rateLimit: { limit: 0 } });
    const bw = await baiwangCall(sandbox, BAIWANG_METHODS.query, token, { taxNo: SELLER, serialNo: 'x' });
    expect([bw.status, bw.body.errorResponse?.code, bw.headers['retry-after']]).toEqual([429, '100012', '1']);
    const nnToken = (await nuonuoToken(sandbox)).body.access_token!;
    sandbox.control.setFaults('nuonuo', { rateLimit: { limit: 0 }, operations: [NUONUO_METHODS.query] });
    const nn = await nuonuoCall(sandbox, NUONUO_METHODS.query, nnToken, SELLER, { orderNos: ['x'] });
    expect([nn.status, nn.body.code]).toEqual([200, 'E9613']);
  });

  it('records an upload and then loses the response (socket destroyed); the retry is a duplicate', async () => {
    const invoice = makeInvoice();
    sandbox.control.setFaults('authority', { responseLost: { invoiceKeys: [keyOf(invoice)] } });
    expect(await errorCode(upload(invoice))).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toMatchObject({ source: 'direct' });
    const retry = await upload(invoice);
    expect(retry.body.data).toMatchObject({ duplicate: true });
    expect(sandbox.control.state().authority).toMatchObject({
      accepted: 1,
      duplicates: 1,
      faults: expect.objectContaining({ responsesLost: 1 }),
    });
  });

  it('loses Baiwang and Nuonuo answers after accepting too', async () => {
    const token = (await baiwangToken(sandbox)).body.response!.access_token;
    sandbox.control.setFaults('baiwang', { responseLost: { probability: 1 } });
    const invoice = makeInvoice();
    expect(
      await errorCode(
        baiwangCall(sandbox, BAIWANG_METHODS.upload, token, { taxNo: SELLER, serialNo: 'LOST-1', invoice }),
      ),
    ).toBeDefined();
    expect(sandbox.control.authorityRecord(keyOf(invoice))?.source).toBe('baiwang');
    sandbox.control.setFaults('nuonuo', { responseLost: { invoiceKeys: ['ORD-LOST'] } });
    const nnToken = (await nuonuoToken(sandbox)).body.access_token!;
    const { order } = makeOrder('ORD-LOST');
    expect(
      await errorCode(nuonuoCall(sandbox, NUONUO_METHODS.submit, nnToken, SELLER, { order })),
    ).toBeDefined();
    expect((await nuonuoCall(sandbox, NUONUO_METHODS.submit, nnToken, SELLER, { order })).body.code).toBe(
      'E9106',
    );
  });

  it('accepts uploads that never become visible; a re-upload (补传) makes them visible', async () => {
    const invoice = makeInvoice();
    sandbox.control.setFaults('authority', { neverVisible: { invoiceKeys: [keyOf(invoice)] } });
    expect((await upload(invoice)).body.code).toBe('0000');
    sandbox.control.advanceClock(7 * 24 * 3600_000);
    expect((await call('GET', `${path}/${keyOf(invoice)}`)).status).toBe(404);
    expect(sandbox.control.state().authority.store).toMatchObject({ neverVisible: 1, visible: 0 });
    sandbox.control.clearFaults('authority');
    expect((await upload(invoice)).body.data).toMatchObject({ duplicate: false });
    expect(sandbox.control.authorityRecord(keyOf(invoice))).toMatchObject({
      visible: true,
      neverVisible: false,
    });
  });

  it('slows pagination per page and can target one operation only', async () => {
    sandbox.control.setFaults('authority', {
      slowPagination: { perPageMs: 250 },
      errorRate: 1,
      operations: ['list'],
    });
    expect((await upload()).status).toBe(200);
    sandbox.control.setFaults('authority', { slowPagination: { perPageMs: 250 }, operations: ['list'] });
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
    expect(sandbox.control.state().authority.faults.slowPages).toBe(1);
  });

  it('draws random faults from the seed: same seed, same outcomes', async () => {
    const outcomes = async (): Promise<number[]> => {
      const other = await startSandbox({ seed: 'repeatable' });
      try {
        other.control.setFaults('authority', { errorRate: 0.5 });
        const client = authorityClient(other);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i += 1) statuses.push((await client('GET', `${path}?period=2024-05`)).status);
        return statuses;
      } finally {
        await other.close();
      }
    };
    const first = await outcomes();
    expect(new Set(first)).toEqual(new Set([200, 500]));
    expect(await outcomes()).toEqual(first);
  });
});
