import {
  BAIWANG_METHODS,
  type BaiwangClearCardResponse,
  type BaiwangMonitorResponse,
  type BaiwangReportResponse,
  type WireInvoice,
} from '@lib/protocols';
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import { authorityClient } from './support/authority.client';
import { makeInvoice, SELLER, STRANGER } from './support/invoice.fixtures';
import { baiwangCall, baiwangToken } from './support/platform.clients';

const DEVICE = '661234567890';
const OTHER_DEVICE = '661234567891';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An invoice of the device issued on a day of September 2025 (Asia/Shanghai). */
function september(type: WireInvoice['type'], over: Partial<WireInvoice> = {}): WireInvoice {
  return makeInvoice(type, { issuedAt: '2025-09-10T10:00:00+08:00', machineNo: DEVICE, ...over });
}

function scaled(invoice: WireInvoice, amount: string, tax: string): WireInvoice {
  const total = (Number(amount) + Number(tax)).toFixed(2);
  return {
    ...invoice,
    amount,
    taxAmount: tax,
    totalAmount: total,
    lines: [{ ...invoice.lines[0], quantity: null, unitPrice: null, amount, taxAmount: tax }],
  };
}

describe('Baiwang hosted devices: one-key 抄报, 清卡 and monitor', () => {
  let sandbox: RunningSandbox;
  let token: string;

  /** A sandbox whose simulated now starts at `at` (the rules depend on the date, never on today's). */
  async function at(start: string): Promise<void> {
    sandbox = await startSandbox({ logLevel: 'silent', startTime: start, authority: { visibilityLagMs: 0 } });
    token = (await baiwangToken(sandbox)).body.response!.access_token;
  }
  afterEach(() => sandbox?.close());
  /** Moves simulated time on; the access token (2 simulated hours) is granted again. */
  async function advance(ms: number): Promise<void> {
    sandbox.control.advanceClock(ms);
    token = (await baiwangToken(sandbox)).body.response!.access_token;
  }

  const call = <T>(method: string, body: object) => baiwangCall<T>(sandbox, method, token, body);
  const report = (period = '2025-09', machineNo = DEVICE, taxNo = SELLER) =>
    call<BaiwangReportResponse>(BAIWANG_METHODS.report, { taxNo, machineNo, period });
  const clear = (period = '2025-09', machineNo = DEVICE) =>
    call<BaiwangClearCardResponse>(BAIWANG_METHODS.clearCard, { taxNo: SELLER, machineNo, period });
  const monitor = (period = '2025-09') =>
    call<BaiwangMonitorResponse>(BAIWANG_METHODS.monitor, { taxNo: SELLER, machineNo: DEVICE, period });
  const upload = (serialNo: string, invoice: WireInvoice, kind = 'issued') =>
    call(BAIWANG_METHODS.upload, { taxNo: SELLER, serialNo, kind, invoice });

  it('reports only inside the window: from the 1st of the next month to the deadline moved for the October holidays', async () => {
    await at('2025-09-20T10:00:00+08:00');
    expect((await report()).body.errorResponse).toMatchObject({
      code: '300005',
      subCode: 'DEVICE_NOT_HOSTED',
    });
    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE });
    expect((await report()).body.errorResponse).toMatchObject({ code: '300002', subCode: 'WINDOW_NOT_OPEN' });
    expect((await clear()).body.errorResponse).toMatchObject({ code: '300002' });
    // 2025-10-20 is past the 15th, but National Day moved 2025-09's deadline to 2025-10-27.
    await advance(30 * DAY);
    expect((await report()).body).toMatchObject({
      success: true,
      response: { period: '2025-09', totals: [] },
    });
    expect((await monitor()).body.response).toMatchObject({
      reportStart: '2025-10-01',
      reportEnd: '2025-10-27',
      reported: true,
      cleared: false,
    });
    await advance(8 * DAY); // 2025-10-28 10:00, the day after the deadline
    expect((await report()).body.errorResponse).toMatchObject({ code: '300002', subCode: 'WINDOW_CLOSED' });
    expect((await clear()).body.errorResponse).toMatchObject({ code: '300002', subCode: 'WINDOW_CLOSED' });
  });

  it('totals what the device issued in the period as the authority holds it: voided left out, red negative, per type', async () => {
    await at('2025-09-20T10:00:00+08:00');
    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE });
    const special = september('VAT_SPECIAL');
    const voided = september('VAT_GENERAL', { issuedAt: '2025-09-19T09:00:00+08:00' });
    const blue = scaled(september('DIGITAL_SPECIAL'), '200.00', '26.00');
    const red = scaled(
      september('DIGITAL_SPECIAL', { original: { code: null, number: blue.number }, redReason: '01' }),
      '-50.00',
      '-6.50',
    );
    const direct = scaled(september('VAT_SPECIAL'), '300.00', '39.00');
    expect((await upload('D-1', special)).body.success).toBe(true);
    expect((await upload('D-2', voided)).body.success).toBe(true);
    expect((await upload('D-3', voided, 'voided')).body.success).toBe(true);
    expect((await upload('D-4', blue)).body.success).toBe(true);
    expect((await upload('D-5', red, 'red-issued')).body.success).toBe(true);
    // Straight to the authority (not through Baiwang): still the device's invoice.
    const authority = authorityClient(sandbox);
    expect(
      (await authority('POST', `/v1/taxpayers/${SELLER}/invoices`, { kind: 'issued', invoice: direct })).body
        .code,
    ).toBe('0000');
    // Not the device's: another device, no machine number, another period, another taxpayer's generated records.
    await upload('D-6', september('VAT_SPECIAL', { machineNo: OTHER_DEVICE }));
    await upload('D-7', september('VAT_SPECIAL', { machineNo: null }));
    await upload('D-8', september('VAT_SPECIAL', { issuedAt: '2025-08-31T23:59:00+08:00' }));
    await sandbox.control.generateRecords({ taxNo: SELLER, period: '2025-09', count: 50, seed: 1 });
    expect(
      (await upload('D-9', september('VAT_SPECIAL', { machineNo: 'bad/no' }))).body.errorResponse,
    ).toMatchObject({
      code: '200001',
    });

    await advance(15 * DAY);
    const answer = (await report()).body;
    expect(answer.response!.totals).toEqual([
      { invoiceType: 'VAT_SPECIAL', count: 2, amount: '400.00', taxAmount: '52.00' },
      { invoiceType: 'DIGITAL_SPECIAL', count: 2, amount: '150.00', taxAmount: '19.50' },
    ]);
    expect((await report('2025-09', OTHER_DEVICE)).body.errorResponse?.code).toBe('300005');
    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: OTHER_DEVICE });
    expect((await report('2025-09', OTHER_DEVICE)).body.response!.totals).toEqual([
      { invoiceType: 'VAT_SPECIAL', count: 1, amount: '100.00', taxAmount: '13.00' },
    ]);
  });

  it('clears only after the report and with no offline invoice pending; the clear moves the lock date and is recorded at the authority', async () => {
    await at('2025-10-09T10:00:00+08:00');
    const hosted = sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE, offlinePending: 2 });
    expect(hosted.lockDate).toBe('2025-10-27');
    expect((await clear()).body.errorResponse).toMatchObject({ code: '300003', subCode: 'NOT_REPORTED' });
    expect((await report()).body.success).toBe(true);
    expect((await clear()).body.errorResponse).toMatchObject({
      code: '300004',
      subMsg: '设备有2张离线发票未上传',
    });
    expect((await monitor()).body.response).toMatchObject({
      offlineInvoiceCount: 2,
      reported: true,
      cleared: false,
    });

    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE, offlinePending: 0 });
    const cleared = (await clear()).body;
    // 2025-10's deadline: 2025-11-15 is a Saturday, so Monday 2025-11-17.
    expect(cleared).toMatchObject({ success: true, response: { result: 'SUCCESS', lockDate: '2025-11-17' } });
    expect((await clear()).body.response).toEqual(cleared.response); // once cleared, the same answer
    expect((await monitor()).body.response).toMatchObject({
      lockDate: '2025-11-17',
      reported: true,
      cleared: true,
      clearedAt: cleared.response!.clearedAt,
      offlineInvoiceCount: 0,
    });
    const card = await authorityClient(sandbox)(
      'GET',
      `/v1/taxpayers/${SELLER}/devices/${DEVICE}/clear-card?period=2025-09`,
    );
    expect(card.body.data).toMatchObject({ status: 'CLEARED', clearedAt: cleared.response!.clearedAt });
    const state = sandbox.control.state().baiwang;
    expect(state.methods).toMatchObject({
      [BAIWANG_METHODS.report]: 1,
      [BAIWANG_METHODS.clearCard]: 4,
      [BAIWANG_METHODS.monitor]: 2,
    });
    expect(state.devices).toEqual([
      expect.objectContaining({
        machineNo: DEVICE,
        lockDate: '2025-11-17',
        clears: [{ period: '2025-09', clearedAt: cleared.response!.clearedAt }],
      }),
    ]);
    sandbox.control.reset();
    expect(sandbox.control.state().baiwang).toMatchObject({ methods: {}, devices: [] });
  });

  it('answers a device fault and an authority refusal of the write-back with their own codes', async () => {
    await at('2025-10-09T10:00:00+08:00');
    sandbox.control.hostBaiwangDevice({
      taxNo: SELLER,
      machineNo: DEVICE,
      fault: { subCode: 'USB_LOST', subMsg: '设备连接断开' },
    });
    expect((await report()).body.errorResponse).toMatchObject({
      code: '300006',
      subCode: 'USB_LOST',
      subMsg: '设备连接断开',
    });
    expect((await monitor()).body.errorResponse).toMatchObject({ code: '300006' });
    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE, fault: false });
    expect((await report()).body.success).toBe(true);
    sandbox.control.setClearCard({
      taxNo: SELLER,
      deviceNo: DEVICE,
      period: '2025-09',
      status: 'FAILED',
      errorCode: 'E_CARD_IO',
    });
    expect((await clear()).body.errorResponse).toMatchObject({ code: '300001', subCode: 'E_CARD_IO' });
    expect((await monitor()).body.response).toMatchObject({ cleared: false, lockDate: '2025-10-27' });
  });

  it('limits one-key calls per taxpayer in a sliding window, with the rate-limit code', async () => {
    await at('2025-10-09T10:00:00+08:00');
    Object.assign(sandbox.control.settings.baiwang, { deviceCallLimit: 3, deviceCallWindowMs: 60_000 });
    sandbox.control.hostBaiwangDevice({ taxNo: SELLER, machineNo: DEVICE });
    for (let i = 0; i < 3; i += 1) expect((await monitor()).body.success).toBe(true);
    expect((await report()).body.errorResponse).toMatchObject({
      code: '100012',
      subCode: 'DEVICE_CALL_LIMIT',
    });
    // Another taxpayer has its own budget (its device is not hosted, which is a different answer).
    expect((await report('2025-09', DEVICE, STRANGER)).body.errorResponse?.code).toBe('300005');
    sandbox.control.advanceClock(61_000);
    expect((await report()).body.success).toBe(true);
  });
});
