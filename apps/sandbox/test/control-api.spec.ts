import { startSandboxProcess, type SandboxProcess } from '../src/sandbox-process';
// The simulators' own test clients and fixtures: the control API drives those simulators.
import { authorityClient } from '../../../libs/simulators/test/support/authority.client';
import { send } from '../../../libs/simulators/test/support/http-client';
import { makeInvoice, SELLER } from '../../../libs/simulators/test/support/invoice.fixtures';

describe('control API over HTTP', () => {
  let running: SandboxProcess;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    send<T>(method, `${running.control.url}/__sandbox${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    running = await startSandboxProcess({ controlPort: 0, authority: { visibilityLagMs: 0 } });
  });
  afterAll(() => running.close());

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
    const list = await authorityClient(running.sandbox)(
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

  it('hosts Baiwang devices (one or items), changes them, lists them and shows them in the state', async () => {
    const hosted = await control<{ items: Array<Record<string, unknown>> }>('POST', '/baiwang/devices', {
      taxNo: SELLER,
      machineNo: '661234567890',
      offlinePending: 3,
      lockDate: '2025-10-27',
    });
    expect(hosted.status).toBe(201);
    expect(hosted.body.items).toEqual([
      expect.objectContaining({
        machineNo: '661234567890',
        offlinePending: 3,
        lockDate: '2025-10-27',
        fault: null,
      }),
    ]);
    const changed = await control<{ items: Array<Record<string, unknown>> }>('POST', '/baiwang/devices', {
      items: [
        { taxNo: SELLER, machineNo: '661234567890', fault: true },
        { taxNo: SELLER, machineNo: '661234567891' },
      ],
    });
    expect(changed.body.items[0]).toMatchObject({
      offlinePending: 3,
      fault: { subCode: 'DEVICE_NO_RESPONSE' },
    });
    expect((await control('POST', '/baiwang/devices', { taxNo: SELLER, machineNo: 'no/slash' })).status).toBe(
      400,
    );
    expect((await control<{ items: unknown[] }>('GET', '/baiwang/devices')).body.items).toHaveLength(2);
    const state = await control<{ baiwang: { devices: unknown[]; methods: Record<string, number> } }>(
      'GET',
      '/state',
    );
    expect(state.body.baiwang).toMatchObject({
      devices: [expect.anything(), expect.anything()],
      methods: {},
    });
    const settings = await control<{ baiwang: { deviceCallLimit: number } }>('POST', '/settings', {
      baiwang: { deviceCallLimit: 5 },
    });
    expect(settings.body.baiwang.deviceCallLimit).toBe(5);
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
    expect((await control('GET', '/health')).body).toMatchObject({
      status: 'ok',
      ports: { control: running.control.port, authority: running.sandbox.ports.authority },
    });
    expect((await control('GET', '/nothing')).status).toBe(404);
  });
});
