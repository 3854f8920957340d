import { InvoiceType, invoiceTypeInfo } from './invoice-type.table';

/** Legacy invoice code (发票代码): 10 digits (paper special/general) or 12 digits (general, electronic). */
export const INVOICE_CODE_PATTERN = /^(?:\d{10}|\d{12})$/;
export const LEGACY_INVOICE_NUMBER_PATTERN = /^\d{8}$/;
/** 数电 number: 20 digits (year 2 + province 2 + channel 1 + sequence 15 — structure not enforced). */
export const DIGITAL_INVOICE_NUMBER_PATTERN = /^\d{20}$/;
/** 税收分类编码: 19 digits. */
export const TAX_CLASSIFICATION_CODE_PATTERN = /^\d{19}$/;
/** 校验码: 20 digits on legacy invoices. */
export const CHECK_CODE_PATTERN = /^\d{20}$/;

/**
 * Documented structure of codes, checked only as a hint: 10 digits = area 4 + year 2 + batch 1 + kind 1 + copies 1
 * + amount version 1 (copies 2-9, version 0-4); 12 digits = 0 + area 4 + year 2 + batch 3 + kind 2.
 */
const TEN_DIGIT_STRUCTURE = /^\d{8}[2-9][0-4]$/;
const TWELVE_DIGIT_STRUCTURE = /^0\d{11}$/;

export function isInvoiceCode(code: unknown): code is string {
  return typeof code === 'string' && INVOICE_CODE_PATTERN.test(code);
}

/** Null when the code matches the documented structure, else a sentence saying what looks unusual. */
export function invoiceCodeStructureHint(code: string): string | null {
  if (code.length === 10 && !TEN_DIGIT_STRUCTURE.test(code)) {
    return 'the 9th digit (copies) is usually 2-9 and the 10th (amount version) 0-4';
  }
  if (code.length === 12 && !TWELVE_DIGIT_STRUCTURE.test(code)) return '12-digit codes usually start with 0';
  return null;
}

export function invoiceNumberPatternFor(type: InvoiceType): RegExp {
  return invoiceTypeInfo(type).numberLength === 20
    ? DIGITAL_INVOICE_NUMBER_PATTERN
    : LEGACY_INVOICE_NUMBER_PATTERN;
}

export function isInvoiceNumberFor(type: InvoiceType, number: unknown): boolean {
  return typeof number === 'string' && invoiceNumberPatternFor(type).test(number);
}

export function isTaxClassificationCode(code: unknown): boolean {
  return typeof code === 'string' && TAX_CLASSIFICATION_CODE_PATTERN.test(code);
}
