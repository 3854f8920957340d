import { Clock } from '@lib/common';
import { EventDataInput, RemoteOpErrorCode } from '@lib/contracts';
import {
  DeviceOperationResult,
  DeviceOperationsPort,
  HostedDeviceRef,
  HostedDeviceStatus,
} from '@lib/providers';
import { FakeTargetAdapter } from './fake-target.adapter';

/** A clock a test moves by hand (the scheduler, the retry endpoint and the window all read it). */
export class MutableClock implements Clock {
  private at: number;

  constructor(iso: string) {
    this.at = new Date(iso).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(iso: string): void {
    this.at = new Date(iso).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

type Step = 'report' | 'clear' | 'status';
type Scripted<T> = DeviceOperationResult<T> | ((ref: HostedDeviceRef) => Promise<DeviceOperationResult<T>>);

interface HeldState {
  reported: boolean;
  cleared: boolean;
  offlinePending: number;
}

/**
 * An in-memory platform's device operations. It holds, per device and period, what has been done, and counts a 抄报 or
 * 清卡 applied twice (duplicates), so tests can assert that nothing is done twice. Scripted answers per device number
 * come first; otherwise it does the operation (清卡 before 抄报 is refused by rule, as platforms do).
 */
export class FakeDeviceOperations implements DeviceOperationsPort {
  readonly calls: { step: Step; ref: HostedDeviceRef }[] = [];
  readonly held = new Map<string, HeldState>();
  duplicates = 0;
  private readonly scripts = new Map<string, Scripted<unknown>[]>();
  /** When set, every call waits for it first (a slow platform: two replicas overlap). */
  gate?: Promise<void>;

  constructor(readonly platform: string) {}

  script(deviceNo: string, step: Step, ...answers: Scripted<unknown>[]): void {
    const key = `${deviceNo}:${step}`;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...answers]);
  }

  callsOf(deviceNo: string, step?: Step): HostedDeviceRef[] {
    return this.calls.filter((c) => c.ref.deviceNo === deviceNo && (!step || c.step === step)).map((c) => c.ref);
  }

  stateOf(ref: Pick<HostedDeviceRef, 'taxNo' | 'deviceNo' | 'period'>): HeldState {
    const key = `${ref.taxNo}|${ref.deviceNo}|${ref.period}`;
    let state = this.held.get(key);
    if (!state) {
      state = { reported: false, cleared: false, offlinePending: 0 };
      this.held.set(key, state);
    }
    return state;
  }

  report(ref: HostedDeviceRef): Promise<DeviceOperationResult<{ totals: ReportTotals; reportedAt: string }>> {
    return this.answer(ref, 'report', async () => this.applyReport(ref));
  }

  clear(ref: HostedDeviceRef): Promise<DeviceOperationResult<{ clearedAt: string; lockDate: string | null }>> {
    return this.answer(ref, 'clear', async () => this.applyClear(ref));
  }

  status(ref: HostedDeviceRef): Promise<DeviceOperationResult<HostedDeviceStatus>> {
    return this.answer(ref, 'status', async () => {
      const s = this.stateOf(ref);
      return ok(ref, { reported: s.reported, cleared: s.cleared, lockDate: null, offlinePending: s.offlinePending });
    });
  }

  /** Does the 抄报 (what a platform would do on receipt). */
  applyReport(ref: HostedDeviceRef): DeviceOperationResult<{ totals: ReportTotals; reportedAt: string }> {
    const s = this.stateOf(ref);
    if (s.reported) this.duplicates++;
    s.reported = true;
    return ok(ref, { totals: REPORT_TOTALS, reportedAt: '2026-03-05T10:00:01+08:00' });
  }

  applyClear(ref: HostedDeviceRef): DeviceOperationResult<{ clearedAt: string; lockDate: string | null }> {
    const s = this.stateOf(ref);
    if (!s.reported) return failure(ref, 'REMOTE_RULE_REFUSED', '请先抄报');
    if (s.offlinePending > 0) return failure(ref, 'REMOTE_OFFLINE_INVOICES_PENDING', `存在${s.offlinePending}张离线发票未上传`);
    if (s.cleared) this.duplicates++;
    s.cleared = true;
    return ok(ref, { clearedAt: '2026-03-05T10:00:02+08:00', lockDate: '2026-04-15' });
  }

  private async answer<T>(
    ref: HostedDeviceRef,
    step: Step,
    otherwise: () => Promise<DeviceOperationResult<T>>,
  ): Promise<DeviceOperationResult<T>> {
    this.calls.push({ step, ref });
    if (this.gate) await this.gate;
    const scripted = this.scripts.get(`${ref.deviceNo}:${step}`)?.shift() as Scripted<T> | undefined;
    if (scripted === undefined) return otherwise();
    return typeof scripted === 'function' ? scripted(ref) : { ...scripted, requestId: ref.requestId };
  }
}

type ReportTotals = { type: 'VAT_SPECIAL' | 'VAT_GENERAL'; count: number; amount: string; taxAmount: string }[];

export const REPORT_TOTALS: ReportTotals = [
  { type: 'VAT_SPECIAL', count: 12, amount: '120000.00', taxAmount: '15600.00' },
  { type: 'VAT_GENERAL', count: 3, amount: '900.00', taxAmount: '117.00' },
];

export function ok<T>(ref: HostedDeviceRef, value: T): DeviceOperationResult<T> {
  return { ok: true, value, requestId: ref.requestId };
}

export function failure(
  ref: Pick<HostedDeviceRef, 'requestId'> | null,
  errorCode: RemoteOpErrorCode,
  message: string,
  outcomeUnknown = false,
): DeviceOperationResult<never> {
  return { ok: false, errorCode, platformCode: 'P-' + errorCode.length, message, requestId: ref?.requestId ?? 'scripted', outcomeUnknown };
}

/** A platform target whose adapter carries device operations (`adapter.deviceOperations`). */
export class FakeHostingAdapter extends FakeTargetAdapter {
  constructor(
    target: string,
    readonly deviceOperations: FakeDeviceOperations,
  ) {
    super(target);
  }
}

/** A device.changed as the gateway publishes it for a hosted, active device. */
export function hostedDevice(
  overrides: Partial<EventDataInput<'device.changed'>> & { deviceId: string; taxNo: string },
): EventDataInput<'device.changed'> {
  return {
    branchId: 'sz',
    deviceName: `前台开票机 ${overrides.deviceId}`,
    deviceNo: `NO-${overrides.deviceId}`.slice(0, 32),
    status: 'active',
    hostedOn: 'baiwang',
    registeredAt: '2026-01-02T09:00:00+08:00',
    change: 'hosting-set',
    changedAt: '2026-02-01T09:00:00+08:00',
    reason: null,
    actor: null,
    replacedBy: null,
    ...overrides,
  };
}
