import { SystemClock } from '@lib/common';
import { REMOTE_OP_FAILURES, ReportTotal } from '@lib/contracts';
import { formatMoney, Invoice, parseMoney } from '@lib/domain';
import {
  BaiwangAdapter,
  DeviceOperationResult,
  HostedDeviceRef,
  InMemoryTokenStore,
  InvoiceTargetAdapter,
} from '../src';
import { blue, paper, redOf, request } from './support/invoices';
import {
  baiwangConnection,
  DEV_CREDENTIALS,
  quietSandbox,
  RunningSandbox,
  silentLogger,
} from './support/sandbox';

const DEVICE = '661234567890';
const OTHER_DEVICE = '661234567899';
const DAY = 86_400_000;
/** Inside 2025-09's filing window (2025-10-01 … 2025-10-27, moved for National Day). */
const START = '2025-10-09T10:00:00+08:00';
const SEPTEMBER = '2025-09-12T10:00:00+08:00';

/** What our ledger would total for these invoices: per type, count and sums (red ones negative). */
function ledgerTotals(invoices: Invoice[]): ReportTotal[] {
  const byType = new Map<string, { count: number; amount: bigint; tax: bigint }>();
  for (const invoice of invoices) {
    const sum = byType.get(invoice.type) ?? { count: 0, amount: 0n, tax: 0n };
    sum.count += 1;
    sum.amount += parseMoney(invoice.amount);
    sum.tax += parseMoney(invoice.taxAmount);
    byType.set(invoice.type, sum);
  }
  return [...byType].map(([type, sum]) => ({
    type: type as ReportTotal['type'],
    count: sum.count,
    amount: formatMoney(sum.amount),
    taxAmount: formatMoney(sum.tax),
  }));
}

function failureOf<T>(result: DeviceOperationResult<T>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result;
}

describe('BaiwangDeviceOperations (adapter.deviceOperations) against the sandbox', () => {
  let sandbox: RunningSandbox;
  let adapter: BaiwangAdapter;
  let sequence = 0;
  const seller = blue().sellerTaxNo;
  const ref = (over: Partial<HostedDeviceRef> = {}): HostedDeviceRef => {
    sequence += 1;
    return { taxNo: seller, deviceNo: DEVICE, period: '2025-09', requestId: `RQ${sequence}`, ...over };
  };
  const make = (over: Parameters<typeof baiwangConnection>[1] = {}) =>
    new BaiwangAdapter(
      baiwangConnection(sandbox, { deviceOpsTimeoutMs: 300, ...over }),
      new InMemoryTokenStore(),
      new SystemClock(),
      silentLogger,
    );
  const ops = () => adapter.deviceOperations;
  /** Moves the sandbox's simulated clock (its rules read only that one). */
  const advance = (ms: number) => sandbox.control.advanceClock(ms);

  beforeEach(async () => {
    sandbox = await quietSandbox({ startTime: START });
    sandbox.control.hostBaiwangDevice({ taxNo: seller, machineNo: DEVICE });
    adapter = make();
  });
  afterEach(async () => {
    adapter.shutdown();
    await sandbox.close();
  });

  it('is the delivery adapter’s own: exposed as InvoiceTargetAdapter.deviceOperations, one token for both', async () => {
    const target: InvoiceTargetAdapter = adapter;
    expect(target.deviceOperations).toBe(adapter.deviceOperations);
    expect(target.deviceOperations?.platform).toBe('baiwang');
    await adapter.upload({ ...request(blue({ issuedAt: SEPTEMBER })), deviceNo: DEVICE });
    expect((await ops().status(ref())).ok).toBe(true);
    expect(sandbox.control.state().baiwang.tokenRequests).toBe(1);
  });

  it('report then clear: the totals are the invoices uploaded for the device, the clear moves the lock date, status says cleared', async () => {
    const first = blue({ issuedAt: SEPTEMBER });
    const ours = [
      first,
      blue({ issuedAt: SEPTEMBER }),
      redOf(first, { issuedAt: SEPTEMBER }),
      paper({ issuedAt: SEPTEMBER }),
    ];
    for (const [i, invoice] of ours.entries()) {
      const kind = i === 2 ? 'red-issued' : 'issued';
      expect(await adapter.upload({ ...request(invoice, kind), deviceNo: DEVICE })).toMatchObject({
        status: 'accepted',
      });
    }
    // Not this device's: another device, no device, another month.
    await adapter.upload({ ...request(blue({ issuedAt: SEPTEMBER })), deviceNo: OTHER_DEVICE });
    await adapter.upload(request(blue({ issuedAt: SEPTEMBER })));
    await adapter.upload({ ...request(blue({ issuedAt: '2025-10-02T10:00:00+08:00' })), deviceNo: DEVICE });

    const reported = await ops().report(ref({ requestId: 'RQ-REPORT' }));
    if (!reported.ok) throw new Error(reported.message);
    expect(reported.requestId).toBe('RQ-REPORT');
    const expected = ledgerTotals(ours);
    expect(reported.value.totals).toHaveLength(expected.length);
    expect(reported.value.totals).toEqual(expect.arrayContaining(expected));
    expect(expected).toContainEqual({
      type: 'DIGITAL_SPECIAL',
      count: 3,
      amount: '4483.22',
      taxAmount: '516.78',
    });

    const cleared = await ops().clear(ref());
    expect(cleared).toMatchObject({ ok: true, value: { lockDate: '2025-11-17' } });
    expect(await ops().status(ref())).toMatchObject({
      ok: true,
      value: { reported: true, cleared: true, lockDate: '2025-11-17', offlinePending: 0 },
    });
    expect(sandbox.control.baiwangDevices()[0]).toMatchObject({ lockDate: '2025-11-17' });
  });

  it('clear before report: refused by rule, not retried by itself', async () => {
    const failure = failureOf(await ops().clear(ref()));
    expect(failure).toMatchObject({
      errorCode: 'REMOTE_RULE_REFUSED',
      platformCode: '300003',
      outcomeUnknown: false,
    });
    expect(failure.message).toContain('尚未抄报');
    expect(await ops().status(ref())).toMatchObject({ ok: true, value: { reported: false, cleared: false } });
  });

  it('outside the filing window (per the sandbox clock): refused by rule, before it opens and after the holiday-shifted deadline', async () => {
    expect(failureOf(await ops().report(ref({ period: '2025-10' })))).toMatchObject({
      errorCode: 'REMOTE_RULE_REFUSED',
      platformCode: '300002',
    });
    advance(18 * DAY); // 2025-10-27 10:00: the last day still counts
    expect((await ops().report(ref())).ok).toBe(true);
    advance(DAY); // 2025-10-28: closed (the adapter renews its expired token by itself)
    expect(failureOf(await ops().clear(ref()))).toMatchObject({
      errorCode: 'REMOTE_RULE_REFUSED',
      platformCode: '300002',
    });
  });

  it('offline invoices not uploaded: REMOTE_OFFLINE_INVOICES_PENDING, and status counts them', async () => {
    sandbox.control.hostBaiwangDevice({ taxNo: seller, machineNo: DEVICE, offlinePending: 4 });
    expect((await ops().report(ref())).ok).toBe(true);
    expect(failureOf(await ops().clear(ref()))).toMatchObject({
      errorCode: 'REMOTE_OFFLINE_INVOICES_PENDING',
      platformCode: '300004',
      outcomeUnknown: false,
    });
    expect(await ops().status(ref())).toMatchObject({
      ok: true,
      value: { offlinePending: 4, cleared: false },
    });
  });

  it('rate limited (the per-taxpayer limit, or a 429 at the gateway): REMOTE_SERVER_ERROR, retriable', async () => {
    Object.assign(sandbox.control.settings.baiwang, { deviceCallLimit: 2, deviceCallWindowMs: 60_000 });
    await ops().status(ref());
    await ops().status(ref());
    const limited = failureOf(await ops().report(ref()));
    expect(limited).toMatchObject({
      errorCode: 'REMOTE_SERVER_ERROR',
      platformCode: '100012',
      outcomeUnknown: false,
    });
    expect(REMOTE_OP_FAILURES[limited.errorCode].retriable).toBe(true);
    advance(61_000);
    sandbox.control.setFaults('baiwang', {
      operations: ['baiwang.output.device.onekeyreport'],
      rateLimit: { limit: 0, retryAfterSeconds: 5 },
    });
    expect(failureOf(await ops().report(ref()))).toMatchObject({
      errorCode: 'REMOTE_SERVER_ERROR',
      platformCode: '100012',
      outcomeUnknown: false,
    });
  });

  it('5xx: REMOTE_SERVER_ERROR with an unknown outcome (it may have been done)', async () => {
    sandbox.control.setFaults('baiwang', {
      operations: ['baiwang.output.device.onekeywriteback'],
      errorRate: 1,
    });
    expect(failureOf(await ops().clear(ref()))).toMatchObject({
      errorCode: 'REMOTE_SERVER_ERROR',
      outcomeUnknown: true,
    });
  });

  it('bad credentials, or a taxpayer not granted to the app: REMOTE_PERMISSION_DENIED', async () => {
    adapter.shutdown();
    adapter = make({ password: 'not-the-password' });
    const denied = failureOf(await ops().report(ref()));
    expect(denied).toMatchObject({
      errorCode: 'REMOTE_PERMISSION_DENIED',
      platformCode: '100010',
      outcomeUnknown: false,
    });
    expect(REMOTE_OP_FAILURES[denied.errorCode].retriable).toBe(false);

    adapter.shutdown();
    adapter = make();
    sandbox.control.settings.baiwangApps = [{ ...DEV_CREDENTIALS.baiwang, taxNos: ['91350100M000100Y43'] }];
    expect(failureOf(await ops().clear(ref()))).toMatchObject({
      errorCode: 'REMOTE_PERMISSION_DENIED',
      platformCode: '100013',
    });
  });

  it('an unknown device or a device fault: REMOTE_DEVICE_FAULT', async () => {
    expect(failureOf(await ops().report(ref({ deviceNo: OTHER_DEVICE })))).toMatchObject({
      errorCode: 'REMOTE_DEVICE_FAULT',
      platformCode: '300005',
    });
    sandbox.control.hostBaiwangDevice({ taxNo: seller, machineNo: DEVICE, fault: true });
    const fault = failureOf(await ops().status(ref()));
    expect(fault).toMatchObject({ errorCode: 'REMOTE_DEVICE_FAULT', platformCode: '300006' });
    expect(fault.message).toContain('DEVICE_NO_RESPONSE');
  });

  it('no answer within the deadline: REMOTE_NETWORK_ERROR with an unknown outcome; refused connections are known not sent', async () => {
    sandbox.control.setFaults('baiwang', { operations: ['baiwang.output.device.onekeywriteback'], hang: {} });
    const started = Date.now();
    expect(failureOf(await ops().clear(ref()))).toMatchObject({
      errorCode: 'REMOTE_NETWORK_ERROR',
      platformCode: null,
      outcomeUnknown: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    sandbox.control.setFaults('baiwang', { outage: { mode: 'refuse' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failureOf(await ops().status(ref()))).toMatchObject({
      errorCode: 'REMOTE_NETWORK_ERROR',
      outcomeUnknown: false,
    });
  });

  it('shares the deliveries’ breaker: once device calls open it, deliveries see it open and device calls fail fast', async () => {
    adapter.shutdown();
    adapter = make({ breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } });
    await ops().status(ref()); // token in hand
    sandbox.control.setFaults('baiwang', { operations: ['baiwang.output.device.monitor'], errorRate: 1 });
    // The token grant and one monitor succeeded; three fail (more than half of the window's calls).
    for (let i = 0; i < 3; i += 1) await ops().status(ref());
    expect(adapter.available).toBe(false);
    const before = sandbox.control.state().baiwang.received;
    expect(failureOf(await ops().report(ref()))).toMatchObject({
      errorCode: 'REMOTE_NETWORK_ERROR',
      outcomeUnknown: false,
    });
    expect(sandbox.control.state().baiwang.received).toBe(before);
  });
});
