import { shanghaiDateOf } from '../../time/shanghai-time.util';
import { Invoice } from '../invoice.model';
import { checkLines, checkTotals, parseAmounts } from './amount.rules';
import { checkCheckCode, checkCodeAndNumber, checkParties } from './identity.rules';
import { InvoiceIssue } from './invoice-issue.catalogue';
import { InvoiceRuleContext, IssueSink } from './invoice-rule.context';
import { checkIssued, checkIssuedAt, checkNoRedFields, checkRed, checkVoided } from './lifecycle.rules';

/**
 * Checks an invoice (already of the right shape) against every business rule and returns all issues found, errors
 * and warnings alike, each with its own code (see INVOICE_ISSUE_CATALOGUE) and a field path. Pure: `now` is given.
 */
export function validateInvoice(invoice: Invoice, ctx: InvoiceRuleContext): InvoiceIssue[] {
  const sink = new IssueSink(ctx.fieldPrefix ?? 'invoice');
  checkCodeAndNumber(invoice, sink);
  checkParties(invoice, ctx, sink);
  checkCheckCode(invoice, sink);
  const issuedAt = checkIssuedAt(invoice, ctx, sink);
  const parsed = parseAmounts(invoice, sink);
  const issueDate = issuedAt ? shanghaiDateOf(issuedAt) : null;
  checkLines(invoice.lines, parsed, issueDate, ctx.kind !== 'red-issued', sink);
  checkTotals(parsed, sink);
  switch (ctx.kind) {
    case 'issued':
      checkIssued(invoice, parsed, sink);
      checkNoRedFields(invoice, sink);
      break;
    case 'red-issued':
      checkRed(invoice, parsed, sink);
      break;
    case 'voided':
      // A voided paper red invoice legitimately still carries its original and reason.
      checkVoided(invoice, issuedAt, ctx.now, sink);
      break;
  }
  return sink.issues;
}

export function errorsOf(issues: readonly InvoiceIssue[]): InvoiceIssue[] {
  return issues.filter((issue) => issue.severity === 'error');
}

export function warningsOf(issues: readonly InvoiceIssue[]): InvoiceIssue[] {
  return issues.filter((issue) => issue.severity === 'warning');
}
