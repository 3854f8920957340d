import {
  NUONUO_CODES,
  wireInvoiceKey,
  type NuonuoInvoiceResult,
  type NuonuoInvoiceStatus,
} from '@lib/protocols';
import type { SandboxCounters } from '../core/counters';
import { asRecord } from '../core/http.util';
import { dayOf } from '../core/shanghai-time.util';
import type { SimClock } from '../core/sim-clock';
import type { AuthoritySimulator } from '../authority/authority.simulator';
import { validateInvoice } from '../authority/invoice-validation';
import type { FaultInjector } from '../faults/fault-injector';
import { mapNuonuoOrder } from './nuonuo-order.mapper';

export interface NuonuoOrderSettings {
  /** Simulated ms in status 20 (issuing), then in 21 (sealing), before 2 (done). */
  issuingMs: number;
  sealingMs: number;
  /** Right after a submit the order is not yet queryable ("not found" means pending). */
  queryLagMs: number;
  /** Submissions of one orderNo per simulated day before E9613. */
  serialDailyLimit: number;
}

interface Order {
  orderNo: string;
  serialNo: string;
  userTax: string;
  invoiceKey: string;
  code: string;
  number: string;
  buyerName: string;
  total: string;
  issuedAtMs: number;
  submittedAtMs: number;
  final: '2' | '22' | '24';
  lost: boolean;
}

export type NuonuoOutcome<T> = {
  code: string;
  describe: string;
  result: T | null;
  accepted?: boolean;
  invoiceKey?: string;
};

const STATUS_MSG: Record<NuonuoInvoiceStatus, string> = {
  '20': '开票中',
  '21': '开票成功，签章中',
  '2': '开票完成',
  '22': '开票失败',
  '24': '签章失败',
};

/**
 * Nuonuo orders: each one asks Nuonuo to issue a new invoice (its code and number assigned here; a blue order naming
 * one is refused with E4000). E9106 for a repeated orderNo, E9613 past the daily submissions of one orderNo, status
 * 20 → 21 → 2 (or 22 / 24 by fault injection) over simulated time. Orders that complete are relayed to
 * the authority (source "nuonuo"), visible from completion + the authority's lag.
 */
export class NuonuoOrdersService {
  private orders = new Map<string, Order>();
  private bySerial = new Map<string, Order>();
  private submissions = new Map<string, number>();
  private sequence = 0;
  private issued = 0;

  constructor(
    private readonly authority: AuthoritySimulator,
    private readonly faults: FaultInjector,
    private readonly counters: SandboxCounters,
    private readonly clock: SimClock,
    private readonly settings: () => NuonuoOrderSettings,
  ) {}

  submit(method: string, userTax: string, raw: unknown): NuonuoOutcome<{ invoiceSerialNum: string }> {
    const now = this.clock.now();
    const mapped = mapNuonuoOrder(raw, userTax, (type) => this.nextNumber(type, now), now);
    if (!mapped.ok) return { code: NUONUO_CODES.BAD_FIELD, describe: mapped.describe, result: null };
    const { issuingMs, sealingMs, serialDailyLimit } = this.settings();
    const dayKey = `${mapped.orderNo}|${dayOf(now)}`;
    const submissions = (this.submissions.get(dayKey) ?? 0) + 1;
    this.submissions.set(dayKey, submissions);
    if (submissions > serialDailyLimit) {
      return {
        code: NUONUO_CODES.SERIAL_DAILY_LIMIT,
        describe: `该流水号当日提交已超过${serialDailyLimit}次`,
        result: null,
      };
    }
    const existing = this.orders.get(mapped.orderNo);
    if (existing && !existing.lost) {
      return { code: NUONUO_CODES.DUPLICATE_SERIAL, describe: '订单编号重复，请勿重复提交', result: null };
    }
    const validation = validateInvoice(mapped.invoice, mapped.kind, userTax);
    if (!validation.ok) {
      const first = validation.errors[0];
      return {
        code: NUONUO_CODES.BAD_FIELD,
        describe: `${first.field ?? ''} ${first.message}`.trim(),
        result: null,
      };
    }
    const invoiceKey = wireInvoiceKey(mapped.invoice);
    const failure = this.faults.issueFailure(method, mapped.orderNo);
    const lost = this.faults.neverVisible('nuonuo', method, invoiceKey, mapped.orderNo);
    if (!failure) {
      const outcome = this.authority.uploads.upload({
        kind: mapped.kind,
        invoice: mapped.invoice,
        uploaderTaxNo: userTax,
        source: 'nuonuo',
        neverVisible: () => lost,
        readyAtMs: now + issuingMs + sealingMs,
      });
      if (outcome.status === 'rejected') {
        return {
          code: NUONUO_CODES.BAD_FIELD,
          describe: outcome.errors[0]?.message ?? outcome.code,
          result: null,
        };
      }
      this.counters.of('authority')[outcome.status === 'duplicate' ? 'relayedDuplicates' : 'accepted'] += 1;
    }
    if (lost) this.counters.of('nuonuo').faults.neverVisible += 1;
    this.sequence += 1;
    const order: Order = {
      orderNo: mapped.orderNo,
      serialNo: `${dayOf(now).slice(2)}${String(this.sequence).padStart(14, '0')}`,
      userTax,
      invoiceKey,
      code: mapped.invoice.code ?? '',
      number: mapped.invoice.number,
      buyerName: mapped.buyerName,
      total: mapped.invoice.totalAmount,
      issuedAtMs: validation.value.issuedAtMs,
      submittedAtMs: now,
      final: failure ?? '2',
      lost,
    };
    this.orders.set(order.orderNo, order);
    this.bySerial.set(order.serialNo, order);
    return {
      code: NUONUO_CODES.OK,
      describe: '开票提交成功',
      result: { invoiceSerialNum: order.serialNo },
      accepted: true,
      invoiceKey,
    };
  }

  query(userTax: string, raw: unknown): NuonuoOutcome<NuonuoInvoiceResult[]> {
    const body = asRecord(raw);
    const list = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const now = this.clock.now();
    const found = [
      ...list(body.serialNos).map((serial) => this.bySerial.get(serial)),
      ...list(body.orderNos).map((orderNo) => this.orders.get(orderNo)),
    ]
      .filter((order): order is Order => !!order && order.userTax === userTax && !order.lost)
      .filter((order) => now >= order.submittedAtMs + this.settings().queryLagMs);
    if (found.length === 0)
      return { code: NUONUO_CODES.NOT_FOUND, describe: '未查询到开票结果', result: null };
    const unique = [...new Map(found.map((order) => [order.serialNo, order])).values()];
    return {
      code: NUONUO_CODES.OK,
      describe: '查询成功',
      result: unique.map((order) => this.view(order, now)),
    };
  }

  clear(): void {
    this.orders = new Map();
    this.bySerial = new Map();
    this.submissions = new Map();
    this.sequence = 0;
    this.issued = 0;
  }

  /**
   * The code and number of the next invoice Nuonuo issues: 数电 20 digits (year, 31, channel 9, sequence), legacy code
   * `0 3100 yy 999 04` and an 8-digit sequence. Taken when an order is mapped, so a refused order uses one up too.
   */
  private nextNumber(type: string, now: number): { code: string | null; number: string } {
    this.issued += 1;
    const yy = dayOf(now).slice(2, 4);
    if (type.startsWith('DIGITAL_')) return { code: null, number: `${yy}319${String(this.issued).padStart(15, '0')}` };
    return { code: `03100${yy}99904`, number: String(this.issued).padStart(8, '0') };
  }

  private status(order: Order, now: number): NuonuoInvoiceStatus {
    const { issuingMs, sealingMs } = this.settings();
    const elapsed = now - order.submittedAtMs;
    if (elapsed < issuingMs) return '20';
    if (order.final === '22') return '22';
    if (elapsed < issuingMs + sealingMs) return '21';
    return order.final;
  }

  private view(order: Order, now: number): NuonuoInvoiceResult {
    const status = this.status(order, now);
    const done = status === '2';
    return {
      serialNo: order.serialNo,
      orderNo: order.orderNo,
      status,
      statusMsg: STATUS_MSG[status],
      failCause: status === '22' ? '开票失败：税控设备异常' : status === '24' ? '签章失败' : '',
      invoiceCode: done ? order.code : '',
      invoiceNo: done ? order.number : '',
      invoiceTime: order.issuedAtMs,
      salerTaxNum: order.userTax,
      buyerName: order.buyerName,
      orderAmount: order.total,
    };
  }
}
