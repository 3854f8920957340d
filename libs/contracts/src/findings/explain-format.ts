import { INVOICE_TYPE_TABLE, isInvoiceType, shanghaiPartsOf } from '@lib/domain';
import { DeviceLabel, ExplainContext, ExplainLocale } from './explain.model';

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** English names of the invoice types; the Chinese ones are the domain table's labels (增值税电子专用发票 …). */
const INVOICE_TYPE_EN: Record<string, string> = {
  VAT_SPECIAL: 'paper VAT special invoice',
  VAT_GENERAL: 'paper VAT general invoice',
  E_VAT_SPECIAL: 'electronic VAT special invoice',
  E_VAT_GENERAL: 'electronic VAT general invoice',
  DIGITAL_SPECIAL: 'fully digital e-invoice (special)',
  DIGITAL_GENERAL: 'fully digital e-invoice (general)',
};

const TARGETS: Record<string, Record<ExplainLocale, string>> = {
  authority: { 'zh-CN': '税局', en: 'the authority' },
  baiwang: { 'zh-CN': '百望云', en: 'Baiwang' },
  nuonuo: { 'zh-CN': '诺诺', en: 'Nuonuo' },
};

const STATUSES: Record<string, Record<ExplainLocale, string>> = {
  NORMAL: { 'zh-CN': '正常', en: 'normal' },
  VOIDED: { 'zh-CN': '已作废', en: 'voided' },
  RED_REVERSED: { 'zh-CN': '已红冲', en: 'red-reversed' },
};
const LEDGER_STATES: Record<string, string> = {
  issued: 'NORMAL',
  voided: 'VOIDED',
  red_reversed: 'RED_REVERSED',
};

export const text = (value: unknown, fallback = '?'): string =>
  value === null || value === undefined || value === '' ? fallback : String(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function invoiceTypeName(type: unknown, locale: ExplainLocale): string {
  if (!isInvoiceType(type)) return text(type, locale === 'en' ? 'invoice' : '发票');
  return locale === 'en' ? INVOICE_TYPE_EN[type] : INVOICE_TYPE_TABLE[type].label;
}

/** Decimal yuan as money, never through a float: "1234567.5" → "¥1,234,567.50" (en) or "1,234,567.50 元" (zh). */
export function money(value: unknown, locale: ExplainLocale): string {
  const raw = text(value, '0.00');
  const negative = raw.startsWith('-');
  const [whole, fraction = ''] = (negative ? raw.slice(1) : raw).split('.');
  const digits = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
  const sign = negative ? '-' : '';
  return locale === 'en' ? `${sign}¥${digits}` : `${sign}${digits} 元`;
}

/** "2026-10" → "2026年10月" / "October 2026". */
export function period(value: unknown, locale: ExplainLocale): string {
  const m = /^(\d{4})-(\d{2})$/.exec(text(value, ''));
  if (!m) return text(value);
  return locale === 'en' ? `${MONTHS_LONG[Number(m[2]) - 1]} ${m[1]}` : `${m[1]}年${Number(m[2])}月`;
}

/** "2026-11-17" → "2026年11月17日" / "17 Nov 2026". */
export function localDate(value: unknown, locale: ExplainLocale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(value, ''));
  if (!m) return text(value);
  const [y, mo, d] = [m[1], Number(m[2]), Number(m[3])];
  return locale === 'en' ? `${d} ${MONTHS_SHORT[mo - 1]} ${y}` : `${y}年${mo}月${d}日`;
}

/** An instant as its Asia/Shanghai day, the year only when it is not `now`'s: "11月3日" / "3 Nov". */
export function shortDate(value: unknown, c: ExplainContext): string {
  const at = new Date(text(value, ''));
  if (Number.isNaN(at.getTime())) return c.locale === 'en' ? 'an unknown date' : '未知日期';
  const p = shanghaiPartsOf(at);
  const sameYear = p.year === shanghaiPartsOf(c.now).year;
  if (c.locale === 'en') return `${p.day} ${MONTHS_SHORT[p.month - 1]}${sameYear ? '' : ` ${p.year}`}`;
  return `${sameYear ? '' : `${p.year}年`}${p.month}月${p.day}日`;
}

/** An instant as its Asia/Shanghai day and time of day: "11月6日 14:00" / "6 Nov 14:00". */
export function shortDateTime(value: unknown, c: ExplainContext): string {
  const at = new Date(text(value, ''));
  if (Number.isNaN(at.getTime())) return shortDate(value, c);
  const p = shanghaiPartsOf(at);
  const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return `${shortDate(value, c)} ${hhmm}`;
}

export function wholeDays(from: unknown, now: Date): number {
  const at = new Date(text(from, '')).getTime();
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
}

/** English plural ("1 day", "3 days"); Chinese needs none. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const targetName = (target: unknown, locale: ExplainLocale): string =>
  TARGETS[text(target, '')]?.[locale] ?? text(target);

/** A ledger state (issued, voided, red_reversed) or an authority status (NORMAL, …) in words. */
export function statusWord(status: unknown, locale: ExplainLocale): string {
  const key = LEDGER_STATES[text(status, '')] ?? text(status, '');
  return STATUSES[key]?.[locale] ?? text(status);
}

/** "增值税电子专用发票 044031900111-12345678" / "electronic VAT special invoice 044031900111-12345678". */
export function invoiceRef(c: ExplainContext): string {
  const e = c.evidence;
  const own = c.input.invoice;
  const type = e.invoiceType ?? own?.type;
  const code = (e.code ?? own?.code ?? null) as string | null;
  const number = text(e.number ?? own?.number, '');
  const key = number ? (code ? `${code}-${number}` : number) : '';
  return `${invoiceTypeName(type, c.locale)}${key ? ` ${key}` : ''}`;
}

/** The device as far as it is known: the caller's names first, then the evidence's, then the finding's fields. */
export function deviceOf(c: ExplainContext): DeviceLabel {
  const e = c.evidence;
  const given = c.input.device ?? {};
  const authority = isRecord(e.authority) ? e.authority : {};
  const pick = (...values: unknown[]): string | null => {
    const found = values.find((v) => typeof v === 'string' && v.trim() !== '');
    return found === undefined ? null : String(found);
  };
  return {
    id: pick(given.id, e.deviceId, c.input.deviceId) ?? '?',
    name: pick(given.name, e.deviceName),
    deviceNo: pick(given.deviceNo, e.deviceNo, authority.deviceNo),
    branchId: pick(given.branchId, e.branchId, c.input.branchId),
    branchName: pick(given.branchName, e.branchName),
  };
}

/**
 * 开票设备“前台1号盘”（分支机构 深圳南山，机器编号 661234567890） / device "Front desk 1" (branch sz, device no. …): the
 * name when known, the internal id only when it is not.
 */
export function deviceRef(device: DeviceLabel, locale: ExplainLocale): string {
  const branch = device.branchName ?? device.branchId;
  if (locale === 'en') {
    const details = [
      branch ? `branch ${branch}` : null,
      device.deviceNo ? `device no. ${device.deviceNo}` : null,
    ];
    const shown = details.filter(Boolean).join(', ');
    return `${device.name ? `device "${device.name}"` : `device ${device.id}`}${shown ? ` (${shown})` : ''}`;
  }
  const details = [
    branch ? `分支机构 ${branch}` : null,
    device.deviceNo ? `机器编号 ${device.deviceNo}` : null,
  ];
  const shown = details.filter(Boolean).join('，');
  return `${device.name ? `开票设备“${device.name}”` : `开票设备 ${device.id}`}${shown ? `（${shown}）` : ''}`;
}

/** First letter up, for a sentence that starts with an English noun phrase. */
export const capitalize = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);
