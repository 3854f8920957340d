import { checkTaxNo } from '../../tax-id/uscc.validator';
import {
  CHECK_CODE_PATTERN,
  INVOICE_CODE_PATTERN,
  invoiceCodeStructureHint,
  isInvoiceNumberFor,
} from '../invoice-format.rules';
import { Invoice } from '../invoice.model';
import { invoiceTypeInfo, isDigital, isSpecial } from '../invoice-type.table';
import { invoiceIssue } from './invoice-issue.catalogue';
import { InvoiceRuleContext, IssueSink } from './invoice-rule.context';

/** Invoice code and number, by type. */
export function checkCodeAndNumber(invoice: Invoice, sink: IssueSink): void {
  const { type, code, number } = invoice;
  const at = sink.path('code');
  if (isDigital(type)) {
    if (code !== null && code !== '') sink.add(invoiceIssue('INVOICE_CODE_NOT_ALLOWED', at));
  } else if (code === null || code === '') {
    sink.add(invoiceIssue('INVOICE_CODE_REQUIRED', at));
  } else if (!INVOICE_CODE_PATTERN.test(code)) {
    sink.add(invoiceIssue('INVOICE_CODE_FORMAT', at, `got "${code}"`));
  } else {
    const hint = invoiceCodeStructureHint(code);
    if (hint) sink.add(invoiceIssue('INVOICE_CODE_STRUCTURE', at, hint));
    const usual = invoiceTypeInfo(type).usualCodeLengths;
    if (!usual.includes(code.length)) {
      sink.add(
        invoiceIssue(
          'INVOICE_CODE_TYPE_MISMATCH',
          at,
          `${type} codes usually have ${usual.join(' or ')} digits`,
        ),
      );
    }
  }
  if (!isInvoiceNumberFor(type, number)) {
    const digits = invoiceTypeInfo(type).numberLength;
    sink.add(
      invoiceIssue(
        'INVOICE_NUMBER_FORMAT',
        sink.path('number'),
        `${type} expects ${digits} digits, got "${number}"`,
      ),
    );
  }
}

/** Seller and buyer taxpayer ids. */
export function checkParties(invoice: Invoice, ctx: InvoiceRuleContext, sink: IssueSink): void {
  const seller = sink.path('sellerTaxNo');
  checkTaxNoField(invoice.sellerTaxNo, seller, sink, true);
  if (ctx.deviceTaxNo && invoice.sellerTaxNo !== ctx.deviceTaxNo) {
    sink.add(
      invoiceIssue(
        'SELLER_MISMATCH',
        seller,
        `device is bound to ${ctx.deviceTaxNo}, got ${invoice.sellerTaxNo}`,
      ),
    );
  }
  const buyer = sink.path('buyerTaxNo');
  const special = isSpecial(invoice.type);
  if (invoice.buyerTaxNo === null || invoice.buyerTaxNo === '') {
    if (special) sink.add(invoiceIssue('BUYER_TAX_NO_REQUIRED', buyer));
    return;
  }
  checkTaxNoField(invoice.buyerTaxNo, buyer, sink, special);
}

/** Legacy general invoices are verified with the last 6 digits of their check code. */
export function checkCheckCode(invoice: Invoice, sink: IssueSink): void {
  const needed = invoiceTypeInfo(invoice.type).verificationAmount === 'CHECK_CODE_LAST6';
  const at = sink.path('checkCode');
  if (invoice.checkCode === null || invoice.checkCode === '') {
    if (needed) sink.add(invoiceIssue('CHECK_CODE_MISSING', at));
  } else if (!isDigital(invoice.type) && !CHECK_CODE_PATTERN.test(invoice.checkCode)) {
    sink.add(invoiceIssue('CHECK_CODE_FORMAT', at));
  }
}

function checkTaxNoField(value: string, at: string, sink: IssueSink, strict: boolean): void {
  const result = checkTaxNo(value);
  switch (result.status) {
    case 'valid':
      return;
    case 'check-digit-mismatch':
      sink.add(invoiceIssue('TAX_NO_CHECK_DIGIT', at, `expected check digit ${result.expectedCheckDigit}`));
      return;
    case 'legacy':
      sink.add(invoiceIssue('TAX_NO_LEGACY', at));
      return;
    case 'invalid-format':
      sink.add(invoiceIssue(strict ? 'TAX_NO_FORMAT' : 'BUYER_TAX_NO_UNRECOGNISED', at, `got "${value}"`));
  }
}
