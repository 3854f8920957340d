import type { Lang } from '../i18n/i18n';

/** Finding types as codes (shown as codes in the findings table, filters and exports) with a readable name beside. */
export const FINDING_TYPES: Record<string, { zh: string; en: string }> = {
  MISSING_IN_AUTHORITY: { zh: '税务机关无此发票', en: 'Not in the authority system' },
  MISSING_IN_LEDGER: { zh: '台账无此发票', en: 'In the authority, not in our books' },
  AMOUNT_MISMATCH: { zh: '金额不一致', en: 'Amount mismatch' },
  STATUS_MISMATCH: { zh: '状态不一致', en: 'Status mismatch' },
  DUPLICATE_INVOICE: { zh: '重复发票', en: 'Duplicate invoice' },
  CLEAR_CARD_OVERDUE: { zh: '清卡逾期', en: 'Clear-card overdue' },
  CLEAR_CARD_FAILED: { zh: '清卡失败', en: 'Clear-card failed' },
  DEVICE_LOCK_IMMINENT: { zh: '设备即将锁死', en: 'Device lock imminent' },
  OFFLINE_LIMIT_NEAR: { zh: '离线开票接近上限', en: 'Offline limit near' },
  REPORT_TOTALS_MISMATCH: { zh: '抄报汇总不一致', en: 'Summary upload totals differ' },
  REPORT_MISSING: { zh: '尚未抄报', en: 'Summary upload missing' },
  CLEAR_CARD_MISSING: { zh: '尚未清卡', en: 'Clear-card missing' },
  DEVICE_SILENT: { zh: '设备无数据', en: 'Device silent' },
  RECONCILIATION_INCOMPLETE: { zh: '对账无法完成', en: 'Reconciliation incomplete' },
  CONTENT_MISMATCH: { zh: '发票内容不一致', en: 'Content mismatch' },
  RECEIVED_INVOICE_INVALID: { zh: '进项发票查验未通过', en: 'Received invoice invalid' },
  RECEIVED_INVOICE_VOIDED: { zh: '进项发票已作废或红冲', en: 'Received invoice voided' },
};

export const FINDING_STATES: Record<string, { zh: string; en: string; color: string }> = {
  open: { zh: '待处理', en: 'open', color: 'orange' },
  remediating: { zh: '补救中', en: 'remediating', color: 'blue' },
  escalated: { zh: '已升级', en: 'escalated', color: 'red' },
  resolved: { zh: '已解决', en: 'resolved', color: 'green' },
  ignored: { zh: '已忽略', en: 'ignored', color: 'default' },
};

export const SEVERITIES: Record<string, { zh: string; en: string; color: string }> = {
  critical: { zh: '严重', en: 'critical', color: 'red' },
  warning: { zh: '警告', en: 'warning', color: 'gold' },
  info: { zh: '提示', en: 'info', color: 'blue' },
};

/** Invoice types (libs/domain invoice-type.table.ts): the Chinese name in Chinese, name and code in English. */
export const INVOICE_TYPES: Record<string, { zh: string; en: string }> = {
  VAT_SPECIAL: { zh: '增值税专用发票', en: 'VAT special invoice (paper)' },
  VAT_GENERAL: { zh: '增值税普通发票', en: 'VAT general invoice (paper)' },
  E_VAT_SPECIAL: { zh: '增值税电子专用发票', en: 'Electronic VAT special invoice' },
  E_VAT_GENERAL: { zh: '增值税电子普通发票', en: 'Electronic VAT general invoice' },
  DIGITAL_SPECIAL: { zh: '电子发票(增值税专用发票)', en: 'Fully digital e-invoice (special)' },
  DIGITAL_GENERAL: { zh: '电子发票(普通发票)', en: 'Fully digital e-invoice (general)' },
};

export const FINDING_ACTIONS: Record<string, { zh: string; en: string }> = {
  retry: { zh: '重试', en: 'retry' },
  resolve: { zh: '解决', en: 'resolve' },
  ignore: { zh: '忽略', en: 'ignore' },
  opened: { zh: '创建', en: 'opened' },
};

export function label(table: Record<string, { zh: string; en: string }>, code: string | null | undefined, lang: Lang): string {
  if (!code) return '—';
  return table[code]?.[lang] ?? code;
}

export function invoiceTypeName(type: string | null | undefined, lang: Lang): string {
  if (!type) return '—';
  const entry = INVOICE_TYPES[type];
  if (!entry) return type;
  return lang === 'en' ? `${entry.en} (${type})` : entry.zh;
}

/** The invoice key: `code-number` for legacy invoices, the number alone for 数电. */
export function invoiceKey(invoice: { code?: string | null; number?: string } | null | undefined): string | null {
  if (!invoice?.number) return null;
  return invoice.code ? `${invoice.code}-${invoice.number}` : invoice.number;
}
