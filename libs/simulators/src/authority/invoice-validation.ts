import { z } from 'zod';
import {
  AUTHORITY_CODES,
  isDigitalType,
  MACHINE_NO_PATTERN,
  isSpecialType,
  WIRE_INVOICE_TYPES,
  type AuthorityFieldError,
  type AuthorityUploadKind,
  type WireInvoice,
} from '@lib/protocols';
import { rateToMicros, taxFen, toFen } from '../core/money.util';
import { parseIsoWithOffset } from '../core/shanghai-time.util';
import { TAX_NO_PATTERN } from '../core/uscc.util';

const C = AUTHORITY_CODES;
const money = z.string().max(20);
const lineSchema = z.object({
  name: z.string().min(1).max(200),
  taxCode: z.string(),
  quantity: z.string().nullish(),
  unitPrice: z.string().nullish(),
  amount: money,
  taxRate: z.string(),
  taxAmount: money,
});

export const wireInvoiceSchema = z.object({
  type: z.enum(WIRE_INVOICE_TYPES),
  code: z.string().nullish(),
  number: z.string(),
  issuedAt: z.string(),
  sellerTaxNo: z.string(),
  sellerName: z.string().min(1).max(200),
  buyerTaxNo: z.string().nullish(),
  buyerName: z.string().min(1).max(200),
  amount: money,
  taxAmount: money,
  totalAmount: money,
  checkCode: z.string().nullish(),
  lines: z.array(lineSchema).min(1).max(2000),
  original: z.object({ code: z.string().nullish(), number: z.string() }).nullish(),
  redReason: z.enum(['01', '02', '03', '04']).nullish(),
  redFormId: z.string().max(64).nullish(),
  /** 机器编号 of the issuing tax device (absent for 数电 or when unknown). */
  machineNo: z.string().regex(MACHINE_NO_PATTERN, 'machineNo: 1-32 of 0-9, A-Z, a-z, -').nullish(),
});

export interface ValidInvoice {
  invoice: WireInvoice;
  issuedAtMs: number;
  totalFen: bigint;
}

export type InvoiceValidation =
  { ok: true; value: ValidInvoice } | { ok: false; errors: AuthorityFieldError[] };

/**
 * The authority's minimal checks of an uploaded invoice: formats, signs, amount + tax = total, totals =
 * Σ lines, line tax = amount × rate within ±0.06, seller = the uploading taxpayer. All errors are reported.
 */
export function validateInvoice(
  input: unknown,
  kind: AuthorityUploadKind,
  uploaderTaxNo: string,
): InvoiceValidation {
  const parsed = wireInvoiceSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        code: C.INVOICE_FORMAT_INVALID,
        field: `invoice.${issue.path.join('.')}`,
        message: issue.message,
      })),
    };
  }
  const invoice = parsed.data as WireInvoice;
  const errors: AuthorityFieldError[] = [];
  const fail = (code: string, field: string, message: string): void =>
    void errors.push({ code, field, message });
  const digital = isDigitalType(invoice.type);

  if (digital ? !!invoice.code : !/^(\d{10}|\d{12})$/.test(invoice.code ?? '')) {
    fail(
      C.INVOICE_FORMAT_INVALID,
      'invoice.code',
      digital ? '数电发票无发票代码' : 'invoice code must be 10 or 12 digits',
    );
  }
  if (!(digital ? /^\d{20}$/ : /^\d{8}$/).test(invoice.number)) {
    fail(
      C.INVOICE_FORMAT_INVALID,
      'invoice.number',
      digital ? 'number must be 20 digits' : 'number must be 8 digits',
    );
  }
  const issuedAtMs = parseIsoWithOffset(invoice.issuedAt);
  if (issuedAtMs === null)
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.issuedAt', 'issuedAt must be ISO-8601 with an offset');
  if (!TAX_NO_PATTERN.test(invoice.sellerTaxNo))
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.sellerTaxNo', 'bad taxpayer id');
  if (invoice.buyerTaxNo && !TAX_NO_PATTERN.test(invoice.buyerTaxNo)) {
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.buyerTaxNo', 'bad taxpayer id');
  }
  if (isSpecialType(invoice.type) && !invoice.buyerTaxNo) {
    fail(C.INVOICE_BUYER_REQUIRED, 'invoice.buyerTaxNo', 'a special invoice needs the buyer taxpayer id');
  }
  if (invoice.checkCode && !/^\d{6,20}$/.test(invoice.checkCode)) {
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.checkCode', 'check code must be 6-20 digits');
  }
  if (invoice.sellerTaxNo !== uploaderTaxNo) {
    fail(C.INVOICE_SELLER_MISMATCH, 'invoice.sellerTaxNo', 'seller is not the uploading taxpayer');
  }
  const totalFen = checkAmounts(invoice, fail);
  if (kind === 'red-issued') {
    if (totalFen !== null && totalFen >= 0n)
      fail(C.INVOICE_SIGN_INVALID, 'invoice.totalAmount', 'a red invoice is negative');
    if (!invoice.original)
      fail(C.RED_ORIGINAL_NOT_FOUND, 'invoice.original', 'a red invoice references its original');
  } else if (totalFen !== null && totalFen < 0n) {
    fail(C.INVOICE_SIGN_INVALID, 'invoice.totalAmount', 'only red invoices are negative');
  }
  if (errors.length > 0 || issuedAtMs === null || totalFen === null) return { ok: false, errors };
  return { ok: true, value: { invoice, issuedAtMs, totalFen } };
}

function checkAmounts(
  invoice: WireInvoice,
  fail: (code: string, field: string, message: string) => void,
): bigint | null {
  const amount = toFen(invoice.amount);
  const tax = toFen(invoice.taxAmount);
  const total = toFen(invoice.totalAmount);
  let broken = amount === null || tax === null || total === null;
  if (amount === null)
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.amount', 'money is a decimal string with ≤ 2 places');
  if (tax === null)
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.taxAmount', 'money is a decimal string with ≤ 2 places');
  if (total === null)
    fail(C.INVOICE_FORMAT_INVALID, 'invoice.totalAmount', 'money is a decimal string with ≤ 2 places');
  let sumAmount = 0n;
  let sumTax = 0n;
  invoice.lines.forEach((line, i) => {
    const field = `invoice.lines.${i}`;
    const lineAmount = toFen(line.amount);
    const lineTax = toFen(line.taxAmount);
    const rate = rateToMicros(line.taxRate);
    if (!/^\d{19}$/.test(line.taxCode))
      fail(C.INVOICE_FORMAT_INVALID, `${field}.taxCode`, 'tax code must be 19 digits');
    if (lineAmount === null || lineTax === null || rate === null) {
      broken = true;
      fail(C.INVOICE_FORMAT_INVALID, field, 'line amount, tax or rate malformed');
      return;
    }
    sumAmount += lineAmount;
    sumTax += lineTax;
    const diff = lineTax - taxFen(lineAmount, rate);
    if (diff > 6n || diff < -6n)
      fail(C.INVOICE_LINE_TAX_MISMATCH, `${field}.taxAmount`, 'line tax ≠ amount × rate (±0.06)');
  });
  if (broken || amount === null || tax === null || total === null) return null;
  if (amount + tax !== total) fail(C.INVOICE_TOTALS_MISMATCH, 'invoice.totalAmount', 'amount + tax ≠ total');
  if (sumAmount !== amount) fail(C.INVOICE_LINES_MISMATCH, 'invoice.amount', 'amount ≠ sum of line amounts');
  if (sumTax !== tax) fail(C.INVOICE_LINES_MISMATCH, 'invoice.taxAmount', 'tax ≠ sum of line taxes');
  return total;
}
