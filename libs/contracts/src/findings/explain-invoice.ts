import { buyerCannotDeduct, ContentDifference, ContentField, contentDifferences } from './content-fields';
import { ExplainContext, ExplainLocale } from './explain.model';
import {
  capitalize,
  invoiceRef,
  invoiceTypeName,
  isRecord,
  localDate,
  money,
  plural,
  shortDate,
  statusWord,
  targetName,
  text,
  wholeDays,
} from './explain-format';

/** The sentences of the five invoice findings, one per type and language, from reconcile's facts. */

type Money = { amount?: unknown; taxAmount?: unknown; totalAmount?: unknown };
const moneyOf = (value: unknown): Money => (isRecord(value) ? value : {});

export function missingInAuthority(c: ExplainContext): string {
  const e = c.evidence;
  const en = c.locale === 'en';
  const inv = invoiceRef(c);
  const attempt = Number(e.reuploadAttempts ?? 0);
  const max = Number(e.maxReuploads ?? attempt);
  const escalated = c.input.state === 'escalated';
  const action = en
    ? escalated
      ? `${plural(max, 're-upload')} did not help, so it was escalated for a person to check with the tax office`
      : `re-upload requested${attempt > 0 ? ` (attempt ${attempt} of ${max})` : ''}`
    : escalated
      ? `已补传${max}次仍未成功，已升级由专人与主管税务机关核实`
      : `已申请补传${attempt > 0 ? `（第${attempt}次，共${max}次）` : ''}`;
  const code = text(e.syncErrorCode, en ? 'no code' : '无错误码');
  switch (e.cause) {
    case 'NOT_VISIBLE': {
      const days = wholeDays(e.lastAcceptedAt, c.now);
      const when = shortDate(e.lastAcceptedAt, c);
      return en
        ? `${capitalize(inv)} was accepted by ${targetName(e.acceptedVia, 'en')} on ${when} but the authority has no record after ${plural(days, 'day')}; ${action}.`
        : `${inv}已于${when}被${targetName(e.acceptedVia, 'zh-CN')}接收，但${days}天后税局仍无记录；${action}。`;
    }
    case 'DELIVERY_FAILED': {
      const tries = Number(e.syncAttempts ?? 1);
      return en
        ? `${capitalize(inv)} could not be delivered to the authority (${code}) after ${plural(tries, 'attempt')}; ${action}.`
        : `${inv}经${tries}次尝试仍未送达税局（${code}）；${action}。`;
    }
    case 'DELIVERY_REJECTED': {
      const message = text(e.syncErrorMessage, en ? 'no message' : '无说明');
      return en
        ? `${capitalize(inv)} was rejected by the authority (${code}: ${message}), so it must be corrected and issued again.`
        : `${inv}被税局拒收（${code}：${message}），需更正后重新开具。`;
    }
    default:
      return en
        ? `${capitalize(inv)} has not been delivered to the authority yet (sync is still working on it), so this is not an authority problem.`
        : `${inv}尚未送达税局（系统仍在同步），这不是税局的问题。`;
  }
}

export function missingInLedger(c: ExplainContext): string {
  const a = moneyOf(c.evidence.authority);
  const inv = invoiceRef(c);
  const total = money(a.totalAmount, c.locale);
  const when = shortDate(c.evidence.issuedAt, c);
  return c.locale === 'en'
    ? `${capitalize(inv)} (total ${total}, issued ${when}) is on record at the authority but not in our ledger; it was back-filled from the authority's record and needs a person to confirm it.`
    : `${inv}（价税合计 ${total}，${when}开具）在税局有记录，但我方账簿中没有；已按税局记录补录，需专人确认。`;
}

export function amountMismatch(c: ExplainContext): string {
  if (c.evidence.checkOutcome === 'differs') return authorityCopyDiffers(c);
  const en = c.locale === 'en';
  const l = moneyOf(c.evidence.ledger);
  const a = moneyOf(c.evidence.authority);
  const m = (v: unknown) => money(v, c.locale);
  const parts: string[] = [];
  const differs = (k: keyof Money) => text(l[k], '') !== text(a[k], '');
  if (differs('totalAmount'))
    parts.push(
      en
        ? `total ${m(l.totalAmount)} here but ${m(a.totalAmount)} at the authority`
        : `价税合计我方 ${m(l.totalAmount)}、税局 ${m(a.totalAmount)}`,
    );
  if (differs('amount'))
    parts.push(en ? `amount ${m(l.amount)} vs ${m(a.amount)}` : `金额 ${m(l.amount)} 对 ${m(a.amount)}`);
  if (differs('taxAmount'))
    parts.push(
      en ? `tax ${m(l.taxAmount)} vs ${m(a.taxAmount)}` : `税额 ${m(l.taxAmount)} 对 ${m(a.taxAmount)}`,
    );
  // reconcile requests a red-letter correction whenever it has both sides' numbers; an open one waits for a person
  const corrected = c.input.state !== 'open';
  const inv = invoiceRef(c);
  return en
    ? `${capitalize(inv)} differs from the authority's record (${parts.join(', ')}); ${corrected ? 'a red-letter correction was requested' : 'a person must decide which is right'}.`
    : `${inv}与税局记录不一致（${parts.join('，')}）；${corrected ? '已申请红字更正' : '需专人判断以哪一方为准'}。`;
}

/** 查验 03: the authority holds other content and gives no numbers, so a person looks at its copy first. */
function authorityCopyDiffers(c: ExplainContext): string {
  const underWay = c.input.state === 'remediating';
  const when = shortDate(c.evidence.checkedAt, c);
  const channel = targetName(c.evidence.channel, c.locale);
  const inv = invoiceRef(c);
  return c.locale === 'en'
    ? `${capitalize(inv)} differs from the authority's copy (查验 through ${channel} answered 03 on ${when}: type, date or amount differ, and the authority gives no numbers); ${underWay ? 'a red-letter correction is already under way' : 'nothing was corrected automatically'}, so a person must check the authority's copy with 查验 or on the platform.`
    : `${inv}与税局留存的版本不一致（${when}经${channel}查验返回 03：类型、日期或金额不同，税局未给出具体数据）；${underWay ? '红字更正已在进行中' : '系统未自动更正'}，请通过查验或在平台上核对税局留存的版本。`;
}

export function statusMismatch(c: ExplainContext): string {
  const inv = invoiceRef(c);
  const ours = statusWord(c.evidence.ledgerState, c.locale);
  const theirs = statusWord(c.evidence.authorityStatus, c.locale);
  return c.locale === 'en'
    ? `${capitalize(inv)} is ${ours} in our ledger but ${theirs} at the authority; a correction was requested.`
    : `${inv}在我方账簿中为“${ours}”，在税局为“${theirs}”；已申请更正。`;
}

export function duplicateInvoice(c: ExplainContext): string {
  const en = c.locale === 'en';
  const versions = (Array.isArray(c.evidence.versions) ? c.evidence.versions : []).filter(isRecord);
  const parts = (['ledger', 'authority'] as const)
    .map((side) => ({
      side,
      totals: versions.filter((v) => v.side === side).map((v) => money(v.totalAmount, c.locale)),
    }))
    .filter((s) => s.totals.length > 1)
    .map((s) =>
      en
        ? `${s.totals.length} in ${s.side === 'ledger' ? 'our ledger' : "the authority's records"} (totals ${s.totals.join(', ')})`
        : `${s.side === 'ledger' ? '我方账簿中' : '税局记录中'}${s.totals.length}个（价税合计分别为 ${s.totals.join('、')}）`,
    );
  const inv = invoiceRef(c);
  return en
    ? `${capitalize(inv)} has conflicting versions: ${parts.join(' and ')}; a person must decide which one is right.`
    : `${inv}存在相互冲突的版本：${parts.join('；')}；需专人判断哪一个正确。`;
}

const FIELD_NAMES: Record<ContentField, Record<ExplainLocale, string>> = {
  invoiceType: { 'zh-CN': '发票类型', en: 'invoice type' },
  issueDate: { 'zh-CN': '开票日期', en: 'issue date' },
  buyerTaxNo: { 'zh-CN': '购买方纳税人识别号', en: 'buyer tax number' },
  buyerName: { 'zh-CN': '购买方名称', en: 'buyer name' },
  lineCount: { 'zh-CN': '明细行数', en: 'line count' },
};

/** One side's value of a field in words: the type by name, the date as a date, names quoted, nothing as "none". */
function fieldValue(field: ContentField, v: ContentDifference['ours'], locale: ExplainLocale): string {
  if (v === null || v === '') return locale === 'en' ? 'none' : '无';
  switch (field) {
    case 'invoiceType':
      return invoiceTypeName(v, locale);
    case 'issueDate':
      return localDate(v, locale);
    case 'buyerName':
      return locale === 'en' ? `"${v}"` : `“${v}”`;
    default:
      return String(v);
  }
}

/**
 * Every differing field with both values, e.g. 购买方名称我方“X”、税局“Y” / buyer name: ours "X", the authority's "Y";
 * a special invoice whose buyer tax number differs says the buyer cannot deduct with it.
 */
export function contentMismatch(c: ExplainContext): string {
  const en = c.locale === 'en';
  const parts = contentDifferences(c.evidence).map((d) => {
    const [ours, theirs] = [
      fieldValue(d.field, d.ours, c.locale),
      fieldValue(d.field, d.authority, c.locale),
    ];
    const name = FIELD_NAMES[d.field][c.locale];
    if (en) return `${name}: ours ${ours}, the authority's ${theirs}`;
    // a quoted name stands by itself; a number, date or type is set off by spaces, as amounts are
    return d.field === 'buyerName'
      ? `${name}我方${ours}、税局${theirs}`
      : `${name}我方 ${ours}、税局 ${theirs}`;
  });
  const inv = invoiceRef(c);
  const deduct = buyerCannotDeduct(c.evidence);
  return en
    ? `${capitalize(inv)} says something else than the authority's record (${parts.join('; ')})${deduct ? ', so the buyer cannot deduct the input VAT with this special invoice' : ''}; nothing was corrected automatically: a person must decide which is right and, if the invoice is wrong, reverse it with a red-letter invoice and issue it again.`
    : `${inv}的内容与税局记录不一致（${parts.join('；')}）${deduct ? '，购买方无法凭此专用发票抵扣进项税额' : ''}；系统未自动更正，需专人判断以哪一方为准，如发票有误，请开具红字发票冲销后重新开具。`;
}
