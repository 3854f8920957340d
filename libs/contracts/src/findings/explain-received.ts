import { ExplainContext } from './explain.model';
import { capitalize, invoiceRef, money, shortDate, statusWord, targetName, text } from './explain-format';

/**
 * The sentences of the findings about invoices we received from suppliers (进项), from what a 查验 answered: the
 * invoice, its supplier, the branch that received it, which service answered and when, and what a person must do.
 * Evidence (apps/reconcile/src/received): `cause` (NOT_FOUND | MISMATCH | NOT_BUYER), `authorityStatus` (VOIDED |
 * RED_REVERSED), `sellerName`, `sellerTaxNo`, `branchId`, `totalAmount`, `channel`, `checkedAt`, `returnCode`.
 */

function supplier(c: ExplainContext): string {
  const e = c.evidence;
  const name = text(e.sellerName, '');
  const taxNo = text(e.sellerTaxNo, '');
  if (c.locale === 'en') return name ? `${name} (${taxNo})` : `supplier ${taxNo}`;
  return name ? `${name}（税号 ${taxNo}）` : `税号 ${taxNo} 的销售方`;
}

function received(c: ExplainContext): string {
  const e = c.evidence;
  const branch = text(e.branchId ?? c.input.branchId, '');
  const total = money(e.totalAmount, c.locale);
  if (c.locale === 'en') {
    return `${invoiceRef(c)} of ${total} from ${supplier(c)}${branch ? `, received by branch ${branch},` : ''}`;
  }
  return `${branch ? `分支机构 ${branch} 收到的` : ''}${supplier(c)}开具的${invoiceRef(c)}（价税合计 ${total}）`;
}

function checked(c: ExplainContext): string {
  const e = c.evidence;
  const channel = targetName(e.channel, c.locale);
  const code = text(e.returnCode, '');
  return c.locale === 'en'
    ? `查验 through ${channel} on ${shortDate(e.checkedAt, c)}${code ? ` answered ${code}` : ''}`
    : `${shortDate(e.checkedAt, c)}经${channel}查验${code ? `（返回 ${code}）` : ''}`;
}

export function receivedInvalid(c: ExplainContext): string {
  const en = c.locale === 'en';
  const why: Record<string, [string, string]> = {
    NOT_FOUND: ['the authority has no such invoice', '税局查无此票'],
    MISMATCH: ['its data do not match the authority’s record (type, date or amount)', '发票信息与税局记录不一致（类型、日期或金额）'],
    NOT_BUYER: ['the authority says it is not addressed to us', '税局答复该发票的购买方不是我方'],
  };
  const [whyEn, whyZh] = why[text(c.evidence.cause, 'NOT_FOUND')] ?? why.NOT_FOUND;
  return en
    ? `${capitalize(received(c))} failed verification: ${checked(c)}: ${whyEn}; do not deduct its input tax, and ask the supplier for a genuine invoice or check the entered data.`
    : `${received(c)}查验未通过：${checked(c)}，${whyZh}；请暂勿抵扣其进项税额，核对录入信息或联系销售方重新开具。`;
}

export function receivedVoided(c: ExplainContext): string {
  const en = c.locale === 'en';
  const status = statusWord(c.evidence.authorityStatus ?? 'VOIDED', c.locale);
  return en
    ? `${capitalize(received(c))} is ${status} at the authority (${checked(c)}); its input tax cannot be deducted, so stop the deduction or transfer it out (进项转出) and ask the supplier for a new invoice.`
    : `${received(c)}在税局的状态为${status}（${checked(c)}）；其进项税额不得抵扣，请停止抵扣或作进项税额转出，并联系销售方重新开具。`;
}
