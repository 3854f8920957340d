import { createHash } from 'node:crypto';
import { formatMoney, Invoice, InvoiceEventKind, parseMoney, periodOf } from '@lib/domain';

/** One invoice event as the ledger projection applies it. Money is kept as normalised decimal strings. */
export interface LedgerEventRecord {
  eventId: string;
  kind: InvoiceEventKind;
  invoiceKey: string;
  originalKey: string | null;
  taxNo: string;
  branchId: string;
  deviceId: string;
  period: string;
  invoiceType: string;
  code: string | null;
  number: string;
  buyerTaxNo: string | null;
  buyerName: string | null;
  /** How many lines the invoice has (CONTENT_MISMATCH compares it with a 查验 answer's). */
  lineCount: number;
  colour: 'blue' | 'red';
  amount: string;
  taxAmount: string;
  totalAmount: string;
  issuedAt: Date;
  occurredAt: Date;
  receivedAt: Date;
  contentHash: string;
}

export function money(value: string): string {
  return formatMoney(parseMoney(value));
}

/**
 * What makes two reports of one invoice "the same version": everything a person would see on it,
 * with money normalised ("100" and "100.00" are one version) and the instant normalised to UTC.
 */
export function contentHash(invoice: Invoice): string {
  const canonical = {
    type: invoice.type,
    issuedAt: new Date(invoice.issuedAt).toISOString(),
    buyerTaxNo: invoice.buyerTaxNo ?? null,
    buyerName: invoice.buyerName,
    amount: money(invoice.amount),
    taxAmount: money(invoice.taxAmount),
    totalAmount: money(invoice.totalAmount),
    lines: invoice.lines.map((l) => [l.name, l.taxCode, l.quantity, l.unitPrice, money(l.amount), l.taxRate, money(l.taxAmount)]),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

export function periodOfInvoice(invoice: Invoice): string {
  return periodOf(new Date(invoice.issuedAt));
}
