import { absBig, tryParseDecimal, pow10 } from '../../money/decimal.parser';
import { isTaxWithinTolerance, multiplyByRate, sumMoney } from '../../money/money.arithmetic';
import { Fen, formatMoney, tryParseMoney } from '../../money/money.parser';
import { Rate, tryParseRate } from '../../money/rate.parser';
import { isTaxClassificationCode } from '../invoice-format.rules';
import { Invoice, InvoiceLine } from '../invoice.model';
import { isLegalVatRate, isVatRateInForce } from '../vat-rate.table';
import { invoiceIssue } from './invoice-issue.catalogue';
import { IssueSink } from './invoice-rule.context';

export interface ParsedLine {
  index: number;
  amount: Fen | null;
  taxAmount: Fen | null;
  /** Null when the rate is malformed or not a legal VAT rate. */
  rate: Rate | null;
}

export interface ParsedAmounts {
  amount: Fen | null;
  taxAmount: Fen | null;
  totalAmount: Fen | null;
  lines: ParsedLine[];
}

/** Parses every money field once, reporting those that are not money. */
export function parseAmounts(invoice: Invoice, sink: IssueSink): ParsedAmounts {
  return {
    amount: money(invoice.amount, 'amount', sink),
    taxAmount: money(invoice.taxAmount, 'taxAmount', sink),
    totalAmount: money(invoice.totalAmount, 'totalAmount', sink),
    lines: invoice.lines.map((line, index) => ({
      index,
      amount: money(line.amount, `lines[${index}].amount`, sink),
      taxAmount: money(line.taxAmount, `lines[${index}].taxAmount`, sink),
      rate: legalRate(line.taxRate, `lines[${index}].taxRate`, sink),
    })),
  };
}

/** Per-line rules: classification code, rate in force, tax within tolerance, quantity × price. */
export function checkLines(
  lines: readonly InvoiceLine[],
  parsed: ParsedAmounts,
  issueDate: string | null,
  checkRatePeriod: boolean,
  sink: IssueSink,
): void {
  if (lines.length === 0) sink.add(invoiceIssue('LINES_EMPTY', sink.path('lines')));
  lines.forEach((line, index) => {
    const at = (field: string) => sink.path(`lines[${index}].${field}`);
    const { amount, taxAmount, rate } = parsed.lines[index];
    if (!isTaxClassificationCode(line.taxCode))
      sink.add(invoiceIssue('LINE_TAX_CODE_FORMAT', at('taxCode'), `got "${line.taxCode}"`));
    if (rate && checkRatePeriod && issueDate && !isVatRateInForce(line.taxRate, issueDate)) {
      sink.add(invoiceIssue('LINE_TAX_RATE_OUTDATED', at('taxRate'), `${line.taxRate} on ${issueDate}`));
    }
    if (rate && amount !== null && taxAmount !== null && !isTaxWithinTolerance(amount, rate, taxAmount)) {
      const expected = formatMoney(multiplyByRate(amount, rate));
      sink.add(
        invoiceIssue(
          'LINE_TAX_MISMATCH',
          at('taxAmount'),
          `expected about ${expected}, got ${line.taxAmount}`,
        ),
      );
    }
    checkPrice(line, amount, index, sink);
  });
}

/** Header totals against the lines, and amount + tax = total. */
export function checkTotals(parsed: ParsedAmounts, sink: IssueSink): void {
  const { amount, taxAmount, totalAmount, lines } = parsed;
  const lineAmounts = lines.map((l) => l.amount);
  const lineTaxes = lines.map((l) => l.taxAmount);
  const amountSum = sumIfComplete(lineAmounts);
  const taxSum = sumIfComplete(lineTaxes);
  compare('AMOUNT_SUM_MISMATCH', 'amount', amount, amountSum, sink);
  compare('TAX_SUM_MISMATCH', 'taxAmount', taxAmount, taxSum, sink);
  const headerTotal = amount !== null && taxAmount !== null ? amount + taxAmount : null;
  compare('TOTAL_MISMATCH', 'totalAmount', totalAmount, headerTotal, sink);
  // One finding per field is enough: when the header does not add up, TOTAL_MISMATCH already says so.
  if (headerTotal !== null && totalAmount !== null && headerTotal !== totalAmount) return;
  const lineTotal = amountSum !== null && taxSum !== null ? amountSum + taxSum : null;
  compare('TOTAL_SUM_MISMATCH', 'totalAmount', totalAmount, lineTotal, sink);
}

function compare(
  code: 'AMOUNT_SUM_MISMATCH' | 'TAX_SUM_MISMATCH' | 'TOTAL_SUM_MISMATCH' | 'TOTAL_MISMATCH',
  field: string,
  actual: Fen | null,
  expected: Fen | null,
  sink: IssueSink,
): void {
  if (actual === null || expected === null || actual === expected) return;
  sink.add(
    invoiceIssue(code, sink.path(field), `expected ${formatMoney(expected)}, got ${formatMoney(actual)}`),
  );
}

function checkPrice(line: InvoiceLine, amount: Fen | null, index: number, sink: IssueSink): void {
  const quantity = decimalField(line.quantity, `lines[${index}].quantity`, sink);
  const unitPrice = decimalField(line.unitPrice, `lines[${index}].unitPrice`, sink);
  if (!quantity || !unitPrice || amount === null) return;
  // quantity × price is exact at scale (qs + ps) yuan; amount is at scale 2. Compare at the larger scale, ±0.01.
  const scale = quantity.scale + unitPrice.scale;
  const product = quantity.units * unitPrice.units;
  const target = scale >= 2 ? amount * pow10(scale - 2) : amount;
  const productAtScale = scale >= 2 ? product : product * pow10(2 - scale);
  const unit = pow10(Math.max(scale, 2) - 2);
  if (absBig(productAtScale - target) > unit) {
    sink.add(
      invoiceIssue(
        'LINE_PRICE_MISMATCH',
        sink.path(`lines[${index}].amount`),
        `${line.quantity} × ${line.unitPrice} ≠ ${line.amount}`,
      ),
    );
  }
}

function money(value: unknown, field: string, sink: IssueSink): Fen | null {
  const result = tryParseMoney(value);
  if (result.ok) return result.fen;
  sink.add(invoiceIssue('MONEY_FORMAT', sink.path(field), result.message));
  return null;
}

function decimalField(value: string | null, field: string, sink: IssueSink) {
  if (value === null || value === undefined) return null;
  const decimal = tryParseDecimal(value);
  if (!decimal) sink.add(invoiceIssue('DECIMAL_FORMAT', sink.path(field), `got "${value}"`));
  return decimal;
}

function legalRate(value: string, field: string, sink: IssueSink): Rate | null {
  const rate = tryParseRate(value);
  if (rate && isLegalVatRate(value)) return rate;
  sink.add(invoiceIssue('LINE_TAX_RATE_INVALID', sink.path(field), `got "${value}"`));
  return null;
}

function sumIfComplete(values: readonly (Fen | null)[]): Fen | null {
  return values.every((v): v is Fen => v !== null) ? sumMoney(values as Fen[]) : null;
}
