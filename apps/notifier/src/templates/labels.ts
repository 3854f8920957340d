import { FindingChanged } from '@lib/contracts';
import { Language } from '../routing/routing.model';

export const LABELS = {
  'zh-CN': {
    brand: '发票同步',
    explanation: '说明',
    invoice: '发票',
    device: '设备',
    taxpayer: '纳税人',
    branch: '分支机构',
    period: '所属期',
    state: '状态',
    automatic: '系统已自动处理',
    action: '需要您处理',
    link: '查看详情',
    escalated: (level: number) => `升级至第${level}级`,
    escalatedNote: '该紧急问题在规定时间内仍未解决，现升级通知您。',
    digestSubject: (count: number) => `【发票同步】${count}条提示汇总`,
    digestIntro: (count: number) => `以下是过去一段时间内的${count}条提示：`,
    footer: '此邮件由发票同步系统自动发送，请勿直接回复。',
  },
  en: {
    brand: 'Invoice Sync',
    explanation: 'Explanation',
    invoice: 'Invoice',
    device: 'Device',
    taxpayer: 'Taxpayer',
    branch: 'Branch',
    period: 'Period',
    state: 'Status',
    automatic: 'Done automatically',
    action: 'What you need to do',
    link: 'View the finding',
    escalated: (level: number) => `escalated to level ${level}`,
    escalatedNote: 'This critical problem was not resolved in time and is escalated to you.',
    digestSubject: (count: number) => `[Invoice Sync] Digest of ${count} notices`,
    digestIntro: (count: number) => `${count} notices from the last period:`,
    footer: 'Sent automatically by Invoice Sync; please do not reply.',
  },
} as const satisfies Record<Language, unknown>;

/** `增值税电子普通发票 044031900111-12345678` style reference: code-number, or the 数电 number alone. */
export function invoiceRef(finding: FindingChanged): string | null {
  if (!finding.invoice) return null;
  const { type, code, number } = finding.invoice;
  return `${type} ${code ? `${code}-${number}` : number}`;
}

/** What the finding is about, in one short phrase (invoice number or device id). */
export function subjectRef(finding: FindingChanged): string {
  if (finding.invoice)
    return finding.invoice.code
      ? `${finding.invoice.code}-${finding.invoice.number}`
      : finding.invoice.number;
  return finding.deviceId ?? finding.findingId;
}
