export type IssueSeverity = 'error' | 'warning';

interface CatalogueEntry {
  severity: IssueSeverity;
  message: string;
}

/**
 * Every business rule an invoice is checked against, one stable code each. Errors reject the item; warnings are
 * reported with an accepted item. The gateway's API docs list this table as it is.
 */
export const INVOICE_ISSUE_CATALOGUE = {
  INVOICE_CODE_REQUIRED: err('a legacy invoice needs its invoice code (发票代码)'),
  INVOICE_CODE_NOT_ALLOWED: err('a 数电 (DIGITAL_*) invoice has no invoice code: send null'),
  INVOICE_CODE_FORMAT: err('the invoice code must be 10 or 12 digits'),
  INVOICE_CODE_STRUCTURE: warn('the invoice code does not follow the documented structure'),
  INVOICE_CODE_TYPE_MISMATCH: warn('the invoice code length is unusual for this invoice type'),
  INVOICE_NUMBER_FORMAT: err('the invoice number must be 8 digits, or 20 digits for DIGITAL_* invoices'),
  TAX_NO_FORMAT: err('not a taxpayer id: an 18-character USCC or a legacy 15/17/20-character id is expected'),
  TAX_NO_CHECK_DIGIT: warn('the USCC check digit does not match (accepted: a few real codes fail it)'),
  TAX_NO_LEGACY: warn('legacy taxpayer id (not an 18-character USCC)'),
  BUYER_TAX_NO_UNRECOGNISED: warn('the buyer id is neither a USCC nor a legacy taxpayer id'),
  SELLER_MISMATCH: err("the seller must be the device's own taxpayer"),
  BUYER_TAX_NO_REQUIRED: err("a special invoice needs the buyer's taxpayer id"),
  CHECK_CODE_MISSING: warn('a general invoice without a check code cannot be verified with the authority'),
  CHECK_CODE_FORMAT: warn('the check code (校验码) is usually 20 digits'),
  ISSUED_AT_INVALID: err('issuedAt must be an ISO-8601 timestamp with offset'),
  ISSUED_AT_IN_FUTURE: err('issuedAt is in the future'),
  MONEY_FORMAT: err('not a money amount: a decimal string with at most 2 places is expected'),
  DECIMAL_FORMAT: err('not a decimal number (quantity and unit price are decimal strings)'),
  LINES_EMPTY: err('an invoice needs at least one line'),
  LINE_TAX_CODE_FORMAT: err('the tax classification code (税收分类编码) must be 19 digits'),
  LINE_TAX_RATE_INVALID: err('not a legal VAT rate or levy rate'),
  LINE_TAX_RATE_OUTDATED: warn('this rate did not apply to new sales on the issue date'),
  LINE_TAX_MISMATCH: err('line tax differs from amount × rate by more than 0.06'),
  LINE_PRICE_MISMATCH: warn('quantity × unit price differs from the line amount by more than 0.01'),
  AMOUNT_SUM_MISMATCH: err('amount must equal the sum of the line amounts'),
  TAX_SUM_MISMATCH: err('taxAmount must equal the sum of the line tax amounts'),
  TOTAL_SUM_MISMATCH: err('totalAmount must equal the sum of the line amounts and taxes'),
  TOTAL_MISMATCH: err('totalAmount must equal amount + taxAmount'),
  ISSUED_NEGATIVE_TOTAL: err('an issued (blue) invoice cannot have negative totals'),
  DISCOUNT_LINE_ORPHAN: err('a discount (negative) line must directly follow the positive line it discounts'),
  DISCOUNT_EXCEEDS_LINE: err('a discount line cannot exceed the line it discounts'),
  DISCOUNT_RATE_MISMATCH: warn('a discount line normally carries the rate of the line it discounts'),
  RED_NOT_NEGATIVE: err('a red invoice carries negative amounts'),
  RED_ORIGINAL_REQUIRED: err('a red invoice must reference the original invoice it reverses'),
  RED_ORIGINAL_FORMAT: err('the referenced original invoice has a malformed code or number'),
  RED_ORIGINAL_SELF: err('a red invoice cannot reference itself'),
  RED_REASON_REQUIRED: err('a red invoice needs a red-letter reason (01-04)'),
  RED_REASON_INVALID: err('the red-letter reason must be 01, 02, 03 or 04'),
  RED_FIELDS_UNEXPECTED: warn('original and redReason belong to red-issued invoices only and were ignored'),
  VOID_NOT_PAPER: err('only paper invoices (VAT_SPECIAL, VAT_GENERAL) can be voided; use a red invoice'),
  VOID_OUTSIDE_ISSUE_MONTH: err('an invoice can only be voided in the month it was issued (Asia/Shanghai)'),
} as const satisfies Record<string, CatalogueEntry>;

export type InvoiceIssueCode = keyof typeof INVOICE_ISSUE_CATALOGUE;

export const INVOICE_ISSUE_CODES = Object.keys(INVOICE_ISSUE_CATALOGUE) as InvoiceIssueCode[];

export interface InvoiceIssue {
  code: InvoiceIssueCode;
  /** JSON-path-like location, e.g. `invoice.lines[3].taxAmount`. */
  field: string;
  message: string;
  severity: IssueSeverity;
}

/** Builds an issue from the catalogue; `detail` makes the message specific ("expected 13.00, got 12.00"). */
export function invoiceIssue(code: InvoiceIssueCode, field: string, detail?: string): InvoiceIssue {
  const entry: CatalogueEntry = INVOICE_ISSUE_CATALOGUE[code];
  return {
    code,
    field,
    message: detail ? `${entry.message}: ${detail}` : entry.message,
    severity: entry.severity,
  };
}

function err(message: string): CatalogueEntry {
  return { severity: 'error', message };
}

function warn(message: string): CatalogueEntry {
  return { severity: 'warning', message };
}
