/**
 * Invoice shape on the wire between our adapters and the external systems (and their simulators).
 * Deliberately independent of @lib/domain: protocols describe bytes on the wire, not our model.
 * Money is a decimal string with at most 2 places (negative for red invoices), never a float.
 */
export const WIRE_INVOICE_TYPES = [
  'VAT_SPECIAL',
  'VAT_GENERAL',
  'E_VAT_SPECIAL',
  'E_VAT_GENERAL',
  'DIGITAL_SPECIAL',
  'DIGITAL_GENERAL',
] as const;
export type WireInvoiceType = (typeof WIRE_INVOICE_TYPES)[number];

export type WireInvoiceStatus = 'NORMAL' | 'VOIDED' | 'RED_REVERSED';

/** Red-letter reasons of the authority: 01 开票有误, 02 销货退回, 03 服务中止, 04 销售折让. */
export type WireRedReason = '01' | '02' | '03' | '04';

export interface WireInvoiceLine {
  name: string;
  /** 19-digit tax classification code. */
  taxCode: string;
  quantity?: string | null;
  unitPrice?: string | null;
  amount: string;
  /** Decimal fraction, e.g. "0.13". */
  taxRate: string;
  taxAmount: string;
}

export interface WireInvoice {
  type: WireInvoiceType;
  /** 10 or 12 digits for legacy types; null/absent for DIGITAL_*. */
  code?: string | null;
  /** 8 digits (legacy) or 20 digits (DIGITAL_*). */
  number: string;
  /** ISO-8601 with offset. */
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo?: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode?: string | null;
  lines: WireInvoiceLine[];
  /** Only for red invoices: the original (blue) invoice. */
  original?: { code?: string | null; number: string } | null;
  redReason?: WireRedReason | null;
  /** Optional red-letter confirmation form id authorising a DIGITAL_* red invoice. */
  redFormId?: string | null;
  /**
   * 机器编号: the number of the tax device (税控盘 / 税务UKey) that issued it, as printed on the invoice; absent when
   * no device issued it (数电) or it is not known. Platforms and the authority total a device's 抄报 by it.
   */
  machineNo?: string | null;
}

/** 机器编号 as the authority and the platforms accept it: 1-32 characters of 0-9, A-Z, a-z and -. */
export const MACHINE_NO_PATTERN = /^[0-9A-Za-z-]{1,32}$/;

/** 查验 invoice type codes (fplx) used by the authority's verification service. */
export const FPLX_BY_TYPE: Readonly<Record<WireInvoiceType, string>> = {
  VAT_SPECIAL: '01',
  VAT_GENERAL: '04',
  E_VAT_SPECIAL: '08',
  E_VAT_GENERAL: '10',
  DIGITAL_SPECIAL: '81',
  DIGITAL_GENERAL: '82',
};

export const TYPE_BY_FPLX: Readonly<Record<string, WireInvoiceType>> = Object.fromEntries(
  Object.entries(FPLX_BY_TYPE).map(([type, fplx]) => [fplx, type as WireInvoiceType]),
);

export function isDigitalType(type: WireInvoiceType): boolean {
  return type === 'DIGITAL_SPECIAL' || type === 'DIGITAL_GENERAL';
}

export function isSpecialType(type: WireInvoiceType): boolean {
  return type === 'VAT_SPECIAL' || type === 'E_VAT_SPECIAL' || type === 'DIGITAL_SPECIAL';
}

/** The invoice key is type-independent: code + number for legacy invoices, number for DIGITAL_*. */
export function wireInvoiceKey(invoice: { code?: string | null; number: string }): string {
  return `${invoice.code ?? ''}${invoice.number}`;
}
