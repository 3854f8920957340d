import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { send } from './support/http-client';
import { makeInvoice, SELLER } from './support/invoice.fixtures';

describe('control API over HTTP', () => {
  let sandbox: RunningSandbox;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    send<T>(method, `${sandbox.urls.control}/__sandbox${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ authority: { visibilityLagMs: 0 } });
  });
  afterAll(() => sandbox.close());

  it('sets, lists and clears faults per target, rejecting invalid specs', async () => {
    expect((await control('POST', '/faults', { target: 'authority', latency: { fixedMs: 10 } })).status).toBe(
      200,
    );
    expect((await control('POST', '/faults', { target: 'baiwang', errorRate: 0.1 })).status).toBe(200);
    expect(await control('GET', '/faults').then((r) => Object.keys(r.body))).toEqual([
      'authority',
      'baiwang',
    ]);
    expect((await control('POST', '/faults', { target: 'ftp' })).status).toBe(400);
    expect((await control('POST', '/faults', { target: 'sms', errorRate: 2 })).status).toBe(400);
    expect((await control('DELETE', '/faults?target=baiwang')).status).toBe(204);
    expect(Object.keys((await control('GET', '/faults')).body)).toEqual(['authority']);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).body).toEqual({});
  });

  it('seeds explicit and generated authority records, sets clear-card state and reports state', async () => {
    const invoice = makeInvoice('DIGITAL_GENERAL');
    const seeded = await control<{ seeded: { added: number }; generated: Array<{ generated: number }> }>(
      'POST',
      '/authority/records',
      {
        records: [{ invoice }, { invoice: { ...invoice, number: 'bad' } }],
        generate: { taxNo: SELLER, period: '2024-05', count: 1000, seed: 3 },
      },
    );
    expect(seeded.status).toBe(207);
    expect(seeded.body.seeded.added).toBe(1);
    expect(seeded.body.generated[0].generated).toBe(1000);
    const inspected = await control<{ source: string; visible: boolean }>(
      'GET',
      `/authority/invoices/${invoice.number}`,
    );
    expect(inspected.body).toMatchObject({ source: 'seed', visible: true });
    const list = await authorityClient(sandbox)(
      'GET',
      `/v1/taxpayers/${SELLER}/invoices?period=2024-05&pageSize=1000`,
    );
    expect((list.body.data as { items: unknown[] }).items).toHaveLength(1000);
    const card = await control('POST', '/authority/clear-card', {
      taxNo: SELLER,
      deviceNo: 'D1',
      period: '2024-05',
      status: 'FAILED',
    });
    expect(card.body).toMatchObject({ items: [{ status: 'FAILED', errorCode: 'CLEAR_FAILED' }] });
    const state = await control<{ authority: { store: { records: number; visible: number } } }>(
      'GET',
      '/state',
    );
    expect(state.body.authority.store).toMatchObject({ records: 1001, visible: 1001 });
  });

  it('advances the clock, changes settings, lists SMS/mail and resets', async () => {
    const before = (await control<{ nowMs: number }>('GET', '/clock')).body.nowMs;
    const after = (await control<{ nowMs: number }>('POST', '/clock', { advanceMs: 3_600_000 })).body.nowMs;
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    expect(
      (
        await control<{ authority: { dailyQueryQuota: number } }>('POST', '/settings', {
          authority: { dailyQueryQuota: 9 },
        })
      ).body.authority.dailyQueryQuota,
    ).toBe(9);
    expect((await control('GET', '/sms')).body).toEqual({ items: [] });
    expect((await control('GET', '/mail')).body).toEqual({ items: [] });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(
      (await control<{ authority: { store: { records: number } } }>('GET', '/state')).body.authority.store
        .records,
    ).toBe(0);
    expect((await control('GET', '/health')).body).toMatchObject({ status: 'ok' });
    expect((await control('GET', '/nothing')).status).toBe(404);
  });
});
