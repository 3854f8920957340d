import { absBig } from '../../money/decimal.parser';
import { periodOf } from '../../time/period.value';
import { tryParseInstant } from '../../time/shanghai-time.util';
import {
  INVOICE_CODE_PATTERN,
  LEGACY_INVOICE_NUMBER_PATTERN,
  DIGITAL_INVOICE_NUMBER_PATTERN,
} from '../invoice-format.rules';
import { tryInvoiceKey } from '../invoice-key.util';
import { Invoice, isRedReason } from '../invoice.model';
import { isDigital, isPaper } from '../invoice-type.table';
import { ParsedAmounts } from './amount.rules';
import { invoiceIssue } from './invoice-issue.catalogue';
import { DEFAULT_CLOCK_SKEW_MS, InvoiceRuleContext, IssueSink } from './invoice-rule.context';

/** Parses issuedAt and rejects one further ahead than the allowed clock skew. */
export function checkIssuedAt(invoice: Invoice, ctx: InvoiceRuleContext, sink: IssueSink): Date | null {
  const at = sink.path('issuedAt');
  const issuedAt = tryParseInstant(invoice.issuedAt);
  if (!issuedAt) {
    sink.add(invoiceIssue('ISSUED_AT_INVALID', at, `got "${invoice.issuedAt}"`));
    return null;
  }
  const skew = ctx.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  if (issuedAt.getTime() > ctx.now.getTime() + skew) {
    sink.add(
      invoiceIssue('ISSUED_AT_IN_FUTURE', at, `${invoice.issuedAt} is after ${ctx.now.toISOString()}`),
    );
  }
  return issuedAt;
}

/** A blue invoice: non-negative totals; negative lines are discounts that follow the line they discount. */
export function checkIssued(invoice: Invoice, parsed: ParsedAmounts, sink: IssueSink): void {
  const negative = (['totalAmount', 'amount', 'taxAmount'] as const).find((f) => (parsed[f] ?? 0n) < 0n);
  if (negative)
    sink.add(invoiceIssue('ISSUED_NEGATIVE_TOTAL', sink.path(negative), `got ${invoice[negative]}`));
  parsed.lines.forEach((line, index) => {
    if (line.amount === null || line.amount >= 0n) return;
    const at = sink.path(`lines[${index}].amount`);
    const previous = index > 0 ? parsed.lines[index - 1] : null;
    if (!previous || previous.amount === null || previous.amount <= 0n) {
      sink.add(invoiceIssue('DISCOUNT_LINE_ORPHAN', at));
    } else if (absBig(line.amount) > previous.amount) {
      sink.add(
        invoiceIssue(
          'DISCOUNT_EXCEEDS_LINE',
          at,
          `${invoice.lines[index].amount} against ${invoice.lines[index - 1].amount}`,
        ),
      );
    } else if (line.rate && previous.rate && line.rate.text !== previous.rate.text) {
      sink.add(invoiceIssue('DISCOUNT_RATE_MISMATCH', sink.path(`lines[${index}].taxRate`)));
    }
  });
}

/**
 * A red (negative) invoice: negative totals, a reference to the original and a reason. A 数电 red invoice may
 * reverse a legacy original (code + 8-digit number) or a 数电 one (no code, 20 digits); a legacy one only a legacy one.
 */
export function checkRed(invoice: Invoice, parsed: ParsedAmounts, sink: IssueSink): void {
  const { totalAmount, amount, taxAmount } = parsed;
  if (totalAmount !== null && (totalAmount >= 0n || (amount ?? 0n) > 0n || (taxAmount ?? 0n) > 0n)) {
    sink.add(invoiceIssue('RED_NOT_NEGATIVE', sink.path('totalAmount'), `got ${invoice.totalAmount}`));
  }
  checkOriginal(invoice, sink);
  const reason = invoice.redReason;
  if (reason === null || reason === undefined || reason === '') {
    sink.add(invoiceIssue('RED_REASON_REQUIRED', sink.path('redReason')));
  } else if (!isRedReason(reason)) {
    sink.add(invoiceIssue('RED_REASON_INVALID', sink.path('redReason'), `got "${reason}"`));
  }
}

/** Only paper invoices, only in the Asia/Shanghai month of issue. */
export function checkVoided(invoice: Invoice, issuedAt: Date | null, now: Date, sink: IssueSink): void {
  if (!isPaper(invoice.type))
    sink.add(invoiceIssue('VOID_NOT_PAPER', sink.path('type'), `got ${invoice.type}`));
  if (issuedAt && periodOf(issuedAt) !== periodOf(now)) {
    sink.add(
      invoiceIssue(
        'VOID_OUTSIDE_ISSUE_MONTH',
        sink.path('issuedAt'),
        `issued in ${periodOf(issuedAt)}, now ${periodOf(now)}`,
      ),
    );
  }
}

/** original / redReason on a non-red invoice are ignored, with a warning. */
export function checkNoRedFields(invoice: Invoice, sink: IssueSink): void {
  if (invoice.original) sink.add(invoiceIssue('RED_FIELDS_UNEXPECTED', sink.path('original')));
  if (invoice.redReason) sink.add(invoiceIssue('RED_FIELDS_UNEXPECTED', sink.path('redReason')));
}

function checkOriginal(invoice: Invoice, sink: IssueSink): void {
  const original = invoice.original;
  if (!original) {
    sink.add(invoiceIssue('RED_ORIGINAL_REQUIRED', sink.path('original')));
    return;
  }
  const code = original.code === '' ? null : original.code;
  if (code === null) {
    if (!isDigital(invoice.type)) {
      sink.add(
        invoiceIssue(
          'RED_ORIGINAL_FORMAT',
          sink.path('original.code'),
          'a legacy red invoice reverses a legacy original, which has a code',
        ),
      );
    } else if (!DIGITAL_INVOICE_NUMBER_PATTERN.test(original.number)) {
      sink.add(
        invoiceIssue(
          'RED_ORIGINAL_FORMAT',
          sink.path('original.number'),
          'a 数电 original has a 20-digit number',
        ),
      );
    }
  } else {
    if (!INVOICE_CODE_PATTERN.test(code))
      sink.add(invoiceIssue('RED_ORIGINAL_FORMAT', sink.path('original.code'), 'expected 10 or 12 digits'));
    if (!LEGACY_INVOICE_NUMBER_PATTERN.test(original.number)) {
      sink.add(
        invoiceIssue(
          'RED_ORIGINAL_FORMAT',
          sink.path('original.number'),
          'a legacy original has an 8-digit number',
        ),
      );
    }
  }
  const self = tryInvoiceKey({ code: invoice.code, number: invoice.number });
  if (self !== null && self === tryInvoiceKey({ code, number: original.number })) {
    sink.add(invoiceIssue('RED_ORIGINAL_SELF', sink.path('original')));
  }
}
