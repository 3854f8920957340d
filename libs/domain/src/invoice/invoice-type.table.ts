export const INVOICE_TYPES = [
  'VAT_SPECIAL',
  'VAT_GENERAL',
  'E_VAT_SPECIAL',
  'E_VAT_GENERAL',
  'DIGITAL_SPECIAL',
  'DIGITAL_GENERAL',
] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];

/**
 * What the fourth 查验 (verification) input means for a type, besides code, number and date:
 * special invoices: amount excl. tax; legacy general invoices: the last 6 digits of the check code;
 * 数电 invoices (special or general): the total incl. tax.
 */
export type VerificationAmountKind = 'AMOUNT_EXCL_TAX' | 'CHECK_CODE_LAST6' | 'TOTAL_INCL_TAX';

export interface InvoiceTypeInfo {
  type: InvoiceType;
  label: string;
  medium: 'paper' | 'electronic';
  /** legacy = issued through a tax-control device, with an invoice code; digital = 数电 (全电), no code. */
  generation: 'legacy' | 'digital';
  category: 'special' | 'general';
  /** 发票类型代码 used by the authority's verification service (查验 `fplx`). */
  fplx: string;
  /** Invoice code lengths usually seen for the type (informative; a different length is only a warning). */
  usualCodeLengths: readonly number[];
  numberLength: 8 | 20;
  verificationAmount: VerificationAmountKind;
}

/**
 * One table for every per-type fact. fplx: 01 专票, 04 普票, 08 电子专票, 10 电子普票 (legacy codes); 81 电子发票
 * (增值税专用发票) and 82 电子发票(普通发票) for 数电票. Paper 数电 invoices (85/86) are not modelled.
 */
export const INVOICE_TYPE_TABLE: Readonly<Record<InvoiceType, InvoiceTypeInfo>> = {
  VAT_SPECIAL: row(
    'VAT_SPECIAL',
    '增值税专用发票',
    'paper',
    'legacy',
    'special',
    '01',
    [10],
    8,
    'AMOUNT_EXCL_TAX',
  ),
  VAT_GENERAL: row(
    'VAT_GENERAL',
    '增值税普通发票',
    'paper',
    'legacy',
    'general',
    '04',
    [10, 12],
    8,
    'CHECK_CODE_LAST6',
  ),
  E_VAT_SPECIAL: row(
    'E_VAT_SPECIAL',
    '增值税电子专用发票',
    'electronic',
    'legacy',
    'special',
    '08',
    [12],
    8,
    'AMOUNT_EXCL_TAX',
  ),
  E_VAT_GENERAL: row(
    'E_VAT_GENERAL',
    '增值税电子普通发票',
    'electronic',
    'legacy',
    'general',
    '10',
    [12],
    8,
    'CHECK_CODE_LAST6',
  ),
  DIGITAL_SPECIAL: row(
    'DIGITAL_SPECIAL',
    '电子发票(增值税专用发票)',
    'electronic',
    'digital',
    'special',
    '81',
    [],
    20,
    'TOTAL_INCL_TAX',
  ),
  DIGITAL_GENERAL: row(
    'DIGITAL_GENERAL',
    '电子发票(普通发票)',
    'electronic',
    'digital',
    'general',
    '82',
    [],
    20,
    'TOTAL_INCL_TAX',
  ),
};

export function isInvoiceType(value: unknown): value is InvoiceType {
  return typeof value === 'string' && (INVOICE_TYPES as readonly string[]).includes(value);
}

export function invoiceTypeInfo(type: InvoiceType): InvoiceTypeInfo {
  return INVOICE_TYPE_TABLE[type];
}

export function isPaper(type: InvoiceType): boolean {
  return INVOICE_TYPE_TABLE[type].medium === 'paper';
}

export function isDigital(type: InvoiceType): boolean {
  return INVOICE_TYPE_TABLE[type].generation === 'digital';
}

export function isLegacyElectronic(type: InvoiceType): boolean {
  const info = INVOICE_TYPE_TABLE[type];
  return info.generation === 'legacy' && info.medium === 'electronic';
}

export function isSpecial(type: InvoiceType): boolean {
  return INVOICE_TYPE_TABLE[type].category === 'special';
}

export function fplxOf(type: InvoiceType): string {
  return INVOICE_TYPE_TABLE[type].fplx;
}

export function invoiceTypeOfFplx(fplx: string): InvoiceType | null {
  return INVOICE_TYPES.find((type) => INVOICE_TYPE_TABLE[type].fplx === fplx) ?? null;
}

function row(
  type: InvoiceType,
  label: string,
  medium: InvoiceTypeInfo['medium'],
  generation: InvoiceTypeInfo['generation'],
  category: InvoiceTypeInfo['category'],
  fplx: string,
  usualCodeLengths: number[],
  numberLength: 8 | 20,
  verificationAmount: VerificationAmountKind,
): InvoiceTypeInfo {
  return {
    type,
    label,
    medium,
    generation,
    category,
    fplx,
    usualCodeLengths,
    numberLength,
    verificationAmount,
  };
}
