import { z } from 'zod';
import { filingDeadline, filingWindow, nextPeriod } from '@lib/domain';
import {
  BAIWANG_ERRORS,
  MACHINE_NO_PATTERN,
  type BaiwangClearCardResponse,
  type BaiwangMonitorResponse,
  type BaiwangReportResponse,
  type BaiwangReportTotal,
  type WireInvoiceType,
  WIRE_INVOICE_TYPES,
} from '@lib/protocols';
import type { AuthoritySimulator } from '../authority/authority.simulator';
import type { BaiwangSettings } from '../config/sandbox-options';
import { asRecord } from '../core/http.util';
import { fenToString, toFen } from '../core/money.util';
import type { SimClock } from '../core/sim-clock';
import { periodOf, PERIOD_PATTERN, previousPeriod } from '../core/shanghai-time.util';
import type { BaiwangOutcome } from './baiwang-uploads.service';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `POST /__sandbox/baiwang/devices`: host a device at Baiwang (or change one already hosted). */
export const hostedDeviceSpecSchema = z.object({
  taxNo: z.string().min(15).max(20),
  machineNo: z.string().regex(MACHINE_NO_PATTERN),
  /** Offline invoices the device holds and has not uploaded: 清卡 fails while there are any. */
  offlinePending: z.number().int().min(0).optional(),
  /** A device fault: every one-key call for the device answers DEVICE_FAULT (300006) until it is cleared (false). */
  fault: z
    .union([
      z.boolean(),
      z.object({ subCode: z.string().max(64).optional(), subMsg: z.string().max(200).optional() }),
    ])
    .optional(),
  /** 锁死日期 YYYY-MM-DD; by default the filing deadline of the month before the simulated now. */
  lockDate: z.string().regex(LOCAL_DATE).optional(),
});
export type HostedDeviceSpec = z.input<typeof hostedDeviceSpecSchema>;

/** A hosted device as the control API shows it. */
export interface HostedDeviceView {
  taxNo: string;
  machineNo: string;
  lockDate: string;
  offlinePending: number;
  fault: { subCode: string; subMsg: string } | null;
  /** Periods reported (抄报) and cleared (清卡), with when. */
  reports: Array<{ period: string; reportedAt: string; totals: BaiwangReportTotal[] }>;
  clears: Array<{ period: string; clearedAt: string }>;
}

interface HostedDevice {
  taxNo: string;
  machineNo: string;
  lockDate: string;
  offlinePending: number;
  fault: { subCode: string; subMsg: string } | null;
  reports: Map<string, { reportedAt: string; totals: BaiwangReportTotal[] }>;
  clears: Map<string, string>;
}

/** What every one-key call names: the taxpayer, the device's 机器编号 and the period (default: last month). */
interface DeviceCall {
  taxNo: string;
  machineNo: string;
  period: string;
}

type Refusal = Extract<BaiwangOutcome<never>, { ok: false }>;

/** Totals are listed in the wire's order of invoice types. */
const TYPE_ORDER: readonly WireInvoiceType[] = WIRE_INVOICE_TYPES;

/**
 * Tax devices hosted at Baiwang and its one-key operations, with the rules of the real ones:
 * - 抄报 (`onekeyreport`) and 清卡 (`onekeywriteback`) of period P only inside P's reporting window, from the 1st of
 *   the next month (Asia/Shanghai) until P's filing deadline moved for holidays (`@lib/domain` filingDeadline);
 * - 抄报 answers the totals per invoice type of what the device issued in P, as the authority holds it (records
 *   uploaded with the device's 机器编号, voided ones left out, red ones negative);
 * - 清卡 only after P's 抄报, never while the device holds offline invoices not uploaded; it records the clearing in
 *   the authority's clear-card state and moves the lock date to the next period's deadline;
 * - every one-key call of a taxpayer counts against `deviceCallLimit` per `deviceCallWindowMs` (simulated time);
 * - a device not hosted for the taxpayer, or one with a fault set, answers its own code.
 */
export class BaiwangDevicesService {
  private devices = new Map<string, HostedDevice>();
  private calls = new Map<string, number[]>();

  constructor(
    private readonly authority: AuthoritySimulator,
    private readonly clock: SimClock,
    private readonly settings: () => BaiwangSettings,
  ) {}

  host(input: HostedDeviceSpec): HostedDeviceView {
    const spec = hostedDeviceSpecSchema.parse(input);
    const key = deviceKey(spec.taxNo, spec.machineNo);
    const device = this.devices.get(key) ?? {
      taxNo: spec.taxNo,
      machineNo: spec.machineNo,
      lockDate: filingDeadline(previousPeriod(periodOf(this.clock.now()))).deadline,
      offlinePending: 0,
      fault: null,
      reports: new Map(),
      clears: new Map(),
    };
    if (spec.offlinePending !== undefined) device.offlinePending = spec.offlinePending;
    if (spec.lockDate !== undefined) device.lockDate = spec.lockDate;
    if (spec.fault !== undefined) {
      device.fault =
        spec.fault === false
          ? null
          : {
              subCode: (spec.fault !== true && spec.fault.subCode) || 'DEVICE_NO_RESPONSE',
              subMsg: (spec.fault !== true && spec.fault.subMsg) || '税控设备无响应，请检查设备连接与驱动',
            };
    }
    this.devices.set(key, device);
    return view(device);
  }

  list(): HostedDeviceView[] {
    return [...this.devices.values()].map(view);
  }

  /** `baiwang.output.device.onekeyreport` */
  report(raw: unknown): BaiwangOutcome<BaiwangReportResponse> {
    const checked = this.admit(raw, true);
    if (!checked.ok) return checked.refusal;
    const { device, call } = checked;
    const done = device.reports.get(call.period);
    // Once cleared, the period's summary is final: a report again answers it as it was.
    const report =
      done && device.clears.has(call.period)
        ? done
        : { reportedAt: new Date(this.clock.now()).toISOString(), totals: this.totals(call) };
    device.reports.set(call.period, report);
    return {
      ok: true,
      response: { ...call, result: 'SUCCESS', reportedAt: report.reportedAt, totals: report.totals },
    };
  }

  /** `baiwang.output.device.onekeywriteback` */
  clearCard(raw: unknown): BaiwangOutcome<BaiwangClearCardResponse> {
    const checked = this.admit(raw, true);
    if (!checked.ok) return checked.refusal;
    const { device, call } = checked;
    const cleared = device.clears.get(call.period);
    if (cleared)
      return {
        ok: true,
        response: { ...call, result: 'SUCCESS', clearedAt: cleared, lockDate: device.lockDate },
      };
    if (!device.reports.has(call.period)) {
      return refuse(BAIWANG_ERRORS.NOT_REPORTED, 'NOT_REPORTED', `所属期${call.period}尚未抄报`);
    }
    if (device.offlinePending > 0) {
      return refuse(
        BAIWANG_ERRORS.OFFLINE_INVOICES_PENDING,
        'OFFLINE_INVOICES_PENDING',
        `设备有${device.offlinePending}张离线发票未上传`,
      );
    }
    const nowIso = new Date(this.clock.now()).toISOString();
    const { ok, view: state } = this.authority.clearCards.writeBack(
      call.taxNo,
      call.machineNo,
      call.period,
      nowIso,
    );
    if (!ok) {
      return {
        ok: false,
        error: BAIWANG_ERRORS.CLEAR_CARD_FAILED,
        sub: { subCode: state.errorCode ?? undefined, subMsg: state.errorMessage ?? undefined },
      };
    }
    const clearedAt = state.clearedAt ?? nowIso;
    device.clears.set(call.period, clearedAt);
    const next = filingDeadline(nextPeriod(call.period)).deadline;
    if (next > device.lockDate) device.lockDate = next;
    return { ok: true, response: { ...call, result: 'SUCCESS', clearedAt, lockDate: device.lockDate } };
  }

  /** `baiwang.output.device.monitor`: readable at any time (no reporting window). */
  monitor(raw: unknown): BaiwangOutcome<BaiwangMonitorResponse> {
    const checked = this.admit(raw, false);
    if (!checked.ok) return checked.refusal;
    const { device, call } = checked;
    const report = device.reports.get(call.period);
    const clearedAt = device.clears.get(call.period) ?? null;
    return {
      ok: true,
      response: {
        ...call,
        lockDate: device.lockDate,
        reportStart: `${nextPeriod(call.period)}-01`,
        reportEnd: filingDeadline(call.period).deadline,
        reported: report !== undefined,
        reportedAt: report?.reportedAt ?? null,
        cleared: clearedAt !== null,
        clearedAt,
        offlineInvoiceCount: device.offlinePending,
      },
    };
  }

  clear(): void {
    this.devices = new Map();
    this.calls = new Map();
  }

  /** The checks every one-key call passes, in the platform's order: body, rate, device, fault, window. */
  private admit(
    raw: unknown,
    inWindow: boolean,
  ): { ok: true; device: HostedDevice; call: DeviceCall } | { ok: false; refusal: Refusal } {
    const body = asRecord(raw);
    const taxNo = typeof body.taxNo === 'string' ? body.taxNo : '';
    const machineNo = typeof body.machineNo === 'string' ? body.machineNo : '';
    const period =
      body.period === undefined || body.period === null || body.period === ''
        ? previousPeriod(periodOf(this.clock.now()))
        : String(body.period);
    if (!taxNo || !MACHINE_NO_PATTERN.test(machineNo) || !PERIOD_PATTERN.test(period)) {
      return {
        ok: false,
        refusal: refuse(BAIWANG_ERRORS.INVALID_BODY, undefined, 'taxNo, machineNo, period (YYYY-MM)'),
      };
    }
    const limited = this.countCall(taxNo);
    if (limited) return { ok: false, refusal: limited };
    const device = this.devices.get(deviceKey(taxNo, machineNo));
    if (!device) {
      return {
        ok: false,
        refusal: refuse(
          BAIWANG_ERRORS.DEVICE_NOT_FOUND,
          'DEVICE_NOT_HOSTED',
          `机器编号${machineNo}未托管于该税号`,
        ),
      };
    }
    if (device.fault) {
      return {
        ok: false,
        refusal: refuse(BAIWANG_ERRORS.DEVICE_FAULT, device.fault.subCode, device.fault.subMsg),
      };
    }
    const call = { taxNo, machineNo, period };
    if (inWindow) {
      const now = this.clock.now();
      const window = filingWindow(period);
      if (now < window.opensAt.getTime() || now >= window.closesAt.getTime()) {
        return {
          ok: false,
          refusal: refuse(
            BAIWANG_ERRORS.OUTSIDE_REPORTING_WINDOW,
            now < window.opensAt.getTime() ? 'WINDOW_NOT_OPEN' : 'WINDOW_CLOSED',
            `所属期${period}的抄报清卡期为${nextPeriod(period)}-01至${window.deadline}`,
          ),
        };
      }
    }
    return { ok: true, device, call };
  }

  /** Sliding window per taxpayer on simulated time; a refused call counts too (as a platform's flow control does). */
  private countCall(taxNo: string): Refusal | null {
    const { deviceCallLimit, deviceCallWindowMs } = this.settings();
    const now = this.clock.now();
    const recent = (this.calls.get(taxNo) ?? []).filter((at) => at > now - deviceCallWindowMs);
    recent.push(now);
    this.calls.set(taxNo, recent);
    if (recent.length <= deviceCallLimit) return null;
    const seconds = Math.max(
      1,
      Math.ceil((recent[recent.length - deviceCallLimit - 1] + deviceCallWindowMs - now) / 1000),
    );
    return refuse(
      BAIWANG_ERRORS.RATE_LIMITED,
      'DEVICE_CALL_LIMIT',
      `该税号设备接口调用超过${deviceCallLimit}次/${Math.round(deviceCallWindowMs / 1000)}秒，请${seconds}秒后重试`,
    );
  }

  /** The device's issue in the period as the authority holds it: per type, non-voided, red ones negative. */
  private totals(call: DeviceCall): BaiwangReportTotal[] {
    const sums = new Map<WireInvoiceType, { count: number; amount: bigint; tax: bigint }>();
    for (const record of this.authority.repository.ofDevice(call.taxNo, call.machineNo, call.period)) {
      if (record.status === 'VOIDED') continue;
      const sum = sums.get(record.type) ?? { count: 0, amount: 0n, tax: 0n };
      sum.count += 1;
      sum.amount += toFen(record.amount) ?? 0n;
      sum.tax += toFen(record.taxAmount) ?? 0n;
      sums.set(record.type, sum);
    }
    return TYPE_ORDER.filter((type) => sums.has(type)).map((type) => {
      const sum = sums.get(type)!;
      return {
        invoiceType: type,
        count: sum.count,
        amount: fenToString(sum.amount),
        taxAmount: fenToString(sum.tax),
      };
    });
  }
}

function refuse(
  error: (typeof BAIWANG_ERRORS)[keyof typeof BAIWANG_ERRORS],
  subCode: string | undefined,
  subMsg: string,
): Refusal {
  return { ok: false, error, sub: { ...(subCode ? { subCode } : {}), subMsg } };
}

function deviceKey(taxNo: string, machineNo: string): string {
  return `${taxNo}|${machineNo}`;
}

function view(device: HostedDevice): HostedDeviceView {
  return {
    taxNo: device.taxNo,
    machineNo: device.machineNo,
    lockDate: device.lockDate,
    offlinePending: device.offlinePending,
    fault: device.fault,
    reports: [...device.reports].map(([period, report]) => ({ period, ...report })),
    clears: [...device.clears].map(([period, clearedAt]) => ({ period, clearedAt })),
  };
}
