import { signAuthorityRequest } from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { send } from './support/http-client';
import { makeInvoice, SELLER } from './support/invoice.fixtures';

describe('authority request signing', () => {
  let sandbox: RunningSandbox;
  let call: ReturnType<typeof authorityClient>;
  const path = `/v1/taxpayers/${SELLER}/invoices`;

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 0 } });
    call = authorityClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it('accepts a correctly signed request', async () => {
    const res = await call('POST', path, { kind: 'issued', invoice: makeInvoice() });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe('0000');
  });

  it('rejects a body that differs from the signed one', async () => {
    const before = sandbox.control.state().authority.signatureFailures;
    const invoice = makeInvoice();
    const res = await call(
      'POST',
      path,
      { kind: 'issued', invoice },
      { tamperBody: JSON.stringify({ kind: 'issued', invoice }) + ' ' },
    );
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('1005');
    expect(sandbox.control.state().authority.signatureFailures).toBe(before + 1);
  });

  it('rejects a wrong secret, a skewed clock, an unknown app and missing headers', async () => {
    expect((await call('GET', `${path}?period=2024-01`, undefined, { secret: 'nope' })).body.code).toBe(
      '1005',
    );
    expect(
      (await call('GET', `${path}?period=2024-01`, undefined, { timestamp: Date.now() - 301_000 })).body.code,
    ).toBe('1003');
    const noHeaders = await send('GET', `${sandbox.urls.authority}${path}?period=2024-01`, {
      headers: { 'x-app-id': 'ghost' },
    });
    expect([noHeaders.status, (noHeaders.body as { code: string }).code]).toEqual([401, '1002']);
    const missing = await send('GET', `${sandbox.urls.authority}${path}?period=2024-01`, {
      headers: { 'x-app-id': 'sandbox-authority-app' },
    });
    expect((missing.body as { code: string }).code).toBe('1001');
  });

  it('signs the query string too', async () => {
    const res = await call('GET', `${path}?period=2024-01`);
    expect(res.status).toBe(200);
    const tampered = await send('GET', `${sandbox.urls.authority}${path}?period=2024-02`, {
      headers: signAuthorityRequest({
        appId: 'sandbox-authority-app',
        appSecret: 'sandbox-authority-secret',
        method: 'GET',
        pathAndQuery: `${path}?period=2024-01`,
      }),
    });
    expect((tampered.body as { code: string }).code).toBe('1005');
  });

  it('rejects a replayed nonce', async () => {
    const nonce = 'replay-nonce-000000000001';
    expect((await call('GET', `${path}?period=2024-01`, undefined, { nonce })).status).toBe(200);
    const replay = await call('GET', `${path}?period=2024-01`, undefined, { nonce });
    expect([replay.status, replay.body.code]).toEqual([401, '1004']);
  });

  it('refuses to act for a taxpayer the app is not bound to', async () => {
    const bound = await startSandbox({
      authority: { credentials: [{ appId: 'app-1', appSecret: 's1', taxNos: [SELLER] }] },
    });
    try {
      const client = authorityClient(bound, { appId: 'app-1', appSecret: 's1', taxNos: '*' });
      expect((await client('GET', `${path}?period=2024-01`)).status).toBe(200);
      const other = await client('GET', '/v1/taxpayers/91110108MA01ABCD0X/invoices?period=2024-01');
      expect([other.status, other.body.code]).toEqual([403, '1006']);
    } finally {
      await bound.close();
    }
  });
});
