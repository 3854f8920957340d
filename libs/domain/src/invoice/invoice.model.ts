import { InvoiceType } from './invoice-type.table';

export const INVOICE_EVENT_KINDS = ['issued', 'red-issued', 'voided'] as const;
export type InvoiceEventKind = (typeof INVOICE_EVENT_KINDS)[number];

/** Red-letter reasons (红冲原因) as the authority codes them. Nuonuo numbers its own differently: map explicitly. */
export const RED_REASONS = {
  '01': '开票有误',
  '02': '销货退回',
  '03': '服务中止',
  '04': '销售折让',
} as const;
export type RedReason = keyof typeof RED_REASONS;

export function isRedReason(value: unknown): value is RedReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RED_REASONS, value);
}

/** One invoice line as it travels on the wire: money and rates are decimal strings. */
export interface InvoiceLine {
  name: string;
  taxCode: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string;
  taxRate: string;
  taxAmount: string;
}

export interface InvoiceReference {
  code: string | null;
  number: string;
}

/** An invoice as a device reports it (see PRODUCT.md, `POST /v1/invoices`). */
export interface Invoice {
  type: InvoiceType;
  code: string | null;
  number: string;
  /** ISO-8601 with offset. */
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode: string | null;
  lines: readonly InvoiceLine[];
  original?: InvoiceReference | null;
  redReason?: string | null;
}
