import type {
  AuthorityInvoiceHeader,
  AuthorityInvoiceView,
  AuthoritySource,
  WireInvoice,
  WireInvoiceLine,
  WireInvoiceStatus,
  WireInvoiceType,
  WireRedReason,
} from '@lib/protocols';
import type { IndexPosition } from '../core/sorted-index';
import { fenToString, toFen } from '../core/money.util';
import { isoShanghai, periodOf } from '../core/shanghai-time.util';

/** One invoice as the authority holds it. Kept flat (one shape for a million records). */
export interface AuthorityRecord extends IndexPosition {
  key: string;
  type: WireInvoiceType;
  code: string | null;
  number: string;
  issuedAtMs: number;
  /** The issue time as uploaded (offset preserved); null for generated records. */
  issuedAtText: string | null;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode: string | null;
  /** Null for generated records: one line is synthesised from the totals. */
  lines: WireInvoiceLine[] | null;
  original: { code: string | null; number: string } | null;
  redReason: WireRedReason | null;
  redFormId: string | null;
  status: WireInvoiceStatus;
  /** 机器编号 of the tax device that issued it, as uploaded; null when none was given (数电, generated, seeded). */
  machineNo: string | null;
  /** Sum of the red invoices against this one (fen, ≤ 0). */
  redReversedFen: bigint;
  acceptedAtMs: number;
  /** Simulated time from which query/list show it; +Infinity when the platform lost it. */
  visibleAtMs: number;
  source: AuthoritySource;
  uploadId: string;
}

export interface RecordMeta {
  acceptedAtMs: number;
  visibleAtMs: number;
  source: AuthoritySource;
  uploadId: string;
  status?: WireInvoiceStatus;
}

export function recordFromWire(
  invoice: WireInvoice,
  key: string,
  issuedAtMs: number,
  meta: RecordMeta,
): AuthorityRecord {
  return {
    key,
    type: invoice.type,
    code: invoice.code ?? null,
    number: invoice.number,
    issuedAtMs,
    issuedAtText: invoice.issuedAt,
    sellerTaxNo: invoice.sellerTaxNo,
    sellerName: invoice.sellerName,
    buyerTaxNo: invoice.buyerTaxNo ?? null,
    buyerName: invoice.buyerName,
    amount: invoice.amount,
    taxAmount: invoice.taxAmount,
    totalAmount: invoice.totalAmount,
    checkCode: invoice.checkCode ?? null,
    lines: invoice.lines,
    original: invoice.original
      ? { code: invoice.original.code ?? null, number: invoice.original.number }
      : null,
    redReason: invoice.redReason ?? null,
    redFormId: invoice.redFormId ?? null,
    status: meta.status ?? 'NORMAL',
    machineNo: invoice.machineNo ?? null,
    redReversedFen: 0n,
    acceptedAtMs: meta.acceptedAtMs,
    visibleAtMs: meta.visibleAtMs,
    source: meta.source,
    uploadId: meta.uploadId,
  };
}

export function isLost(record: AuthorityRecord): boolean {
  return record.visibleAtMs === Number.POSITIVE_INFINITY;
}

export function isVisible(record: AuthorityRecord, nowMs: number): boolean {
  return record.visibleAtMs <= nowMs;
}

export function toHeader(record: AuthorityRecord): AuthorityInvoiceHeader {
  return {
    invoiceKey: record.key,
    type: record.type,
    code: record.code,
    number: record.number,
    issuedAt: record.issuedAtText ?? isoShanghai(record.issuedAtMs),
    sellerTaxNo: record.sellerTaxNo,
    sellerName: record.sellerName,
    buyerTaxNo: record.buyerTaxNo,
    buyerName: record.buyerName,
    amount: record.amount,
    taxAmount: record.taxAmount,
    totalAmount: record.totalAmount,
    status: record.status,
  };
}

export function toView(record: AuthorityRecord): AuthorityInvoiceView {
  const { invoiceKey, ...header } = toHeader(record);
  return {
    ...header,
    invoiceKey,
    checkCode: record.checkCode,
    lines: record.lines ?? [syntheticLine(record)],
    original: record.original,
    redReason: record.redReason,
    redFormId: record.redFormId,
    period: periodOf(record.issuedAtMs),
    redReversedAmount: fenToString(record.redReversedFen),
  };
}

/** Generated records carry one line equal to the invoice totals. */
function syntheticLine(record: AuthorityRecord): WireInvoiceLine {
  const amount = toFen(record.amount) ?? 0n;
  const tax = toFen(record.taxAmount) ?? 0n;
  // The rate in hundredths, rounded: generated taxes are amount × one of the standard rates.
  const hundredths = amount === 0n ? 0n : (tax * 100n * 2n + amount) / (amount * 2n);
  return {
    name: '*信息技术服务*软件服务费',
    taxCode: '3040201010000000000',
    quantity: null,
    unitPrice: null,
    amount: record.amount,
    taxRate: `0.${String(hundredths).padStart(2, '0')}`,
    taxAmount: record.taxAmount,
  };
}
