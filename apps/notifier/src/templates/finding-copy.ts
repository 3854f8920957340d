import { FindingSeverity, FindingState, FindingType } from '@lib/contracts';
import { Language } from '../routing/routing.model';

export interface TypeCopy {
  title: string;
  /** What the system does on its own for this kind of finding. */
  automatic: string;
  /** What the reader must do. */
  action: string;
}

/** Chinese first; English for recipients who read English (and as the fallback). */
const TYPES: Record<FindingType, Record<Language, TypeCopy>> = {
  MISSING_IN_AUTHORITY: {
    'zh-CN': {
      title: '发票未在税局系统中',
      automatic: '系统已自动向税局补传该发票，并将在下次对账时复核。',
      action: '如补传后仍未出现，请核对开票设备的上传状态，必要时联系主管税务机关。',
    },
    en: {
      title: 'Invoice missing at the tax authority',
      automatic:
        'The invoice was re-uploaded automatically and will be checked again at the next reconciliation.',
      action:
        'If it is still missing after the re-upload, check the device upload status and contact the tax office if needed.',
    },
  },
  MISSING_IN_LEDGER: {
    'zh-CN': {
      title: '税局有记录但账簿中没有的发票',
      automatic: '系统已记录该差异，未修改任何数据。',
      action: '请确认该发票是否由本单位开具，并补录到账簿。',
    },
    en: {
      title: 'Invoice at the tax authority but not in our books',
      automatic: 'The difference was recorded; no data was changed.',
      action: 'Confirm whether we issued this invoice and back-fill it into the books.',
    },
  },
  AMOUNT_MISMATCH: {
    'zh-CN': {
      title: '发票金额与税局记录不一致',
      automatic: '系统已标记该发票，暂停自动处理。',
      action: '请核对金额；如开票有误，请开具红字发票冲销后重新开具。',
    },
    en: {
      title: 'Invoice amount differs from the tax authority',
      automatic: 'The invoice was flagged and automatic handling paused.',
      action: 'Check the amounts; if the invoice is wrong, issue a red-letter reversal and re-issue it.',
    },
  },
  STATUS_MISMATCH: {
    'zh-CN': {
      title: '发票状态与税局记录不一致',
      automatic: '系统已标记该差异。',
      action: '请核对作废或红冲状态，必要时提交更正。',
    },
    en: {
      title: 'Invoice status differs from the tax authority',
      automatic: 'The difference was flagged.',
      action: 'Check the void or red-letter status and request a correction if needed.',
    },
  },
  DUPLICATE_INVOICE: {
    'zh-CN': {
      title: '重复的发票记录',
      automatic: '系统已识别重复记录，未重复上传。',
      action: '请确认重复原因并清理多余记录。',
    },
    en: {
      title: 'Duplicate invoice record',
      automatic: 'The duplicate was recognised and not uploaded twice.',
      action: 'Find out why it was duplicated and remove the extra record.',
    },
  },
  CLEAR_CARD_OVERDUE: {
    'zh-CN': {
      title: '设备清卡逾期',
      automatic: '系统已检测到设备尚未清卡。',
      action: '请立即在开票设备上完成抄报和清卡，否则设备将锁死、无法开具任何发票。',
    },
    en: {
      title: 'Device clear-card overdue',
      automatic: 'The device was detected as not cleared.',
      action:
        'Upload the summary and clear the card on the device now, or it locks and can issue no invoice.',
    },
  },
  CLEAR_CARD_FAILED: {
    'zh-CN': {
      title: '设备清卡失败',
      automatic: '系统已记录失败原因。',
      action: '请检查设备后重新清卡，必要时联系主管税务机关。',
    },
    en: {
      title: 'Device clear-card failed',
      automatic: 'The failure and its reason were recorded.',
      action: 'Check the device and clear the card again; contact the tax office if needed.',
    },
  },
  DEVICE_LOCK_IMMINENT: {
    'zh-CN': {
      title: '开票设备即将锁死',
      automatic: '系统已根据设备监控数据发出预警。',
      action: '请在锁死日期前完成抄报和清卡。',
    },
    en: {
      title: 'Invoicing device about to lock',
      automatic: 'The warning comes from the device monitor readings.',
      action: 'Upload the summary and clear the card before the lock date.',
    },
  },
  OFFLINE_LIMIT_NEAR: {
    'zh-CN': {
      title: '离线开票即将超限',
      automatic: '系统已根据设备监控数据发出预警。',
      action: '请尽快联网并上传离线发票。',
    },
    en: {
      title: 'Offline invoicing limit nearly reached',
      automatic: 'The warning comes from the device monitor readings.',
      action: 'Bring the device online and upload the offline invoices soon.',
    },
  },
  REPORT_TOTALS_MISMATCH: {
    'zh-CN': {
      title: '抄报汇总与账簿不一致',
      automatic: '系统已比对设备汇总与账簿。',
      action: '请核对当期发票明细后重新抄报。',
    },
    en: {
      title: 'Monthly summary differs from the books',
      automatic: 'The device summary was compared with the books.',
      action: "Check this period's invoices and upload the summary again.",
    },
  },
  REPORT_MISSING: {
    'zh-CN': {
      title: '设备尚未抄报',
      automatic: '系统在申报截止日前几天检查到该设备本期尚无抄报记录。',
      action: '请在申报截止日前在开票设备上完成抄报。',
    },
    en: {
      title: 'Device has not uploaded its monthly summary',
      automatic: 'A few days before the filing deadline the device had no summary upload for the period.',
      action: 'Upload the monthly summary on the device before the filing deadline.',
    },
  },
  CLEAR_CARD_MISSING: {
    'zh-CN': {
      title: '设备尚未清卡',
      automatic: '系统在申报截止日前几天检查到该设备本期尚未成功清卡。',
      action: '请在申报截止日前完成清卡，否则设备将锁死、无法开具发票。',
    },
    en: {
      title: 'Device has not cleared its card yet',
      automatic:
        'A few days before the filing deadline the device had no successful clear-card for the period.',
      action: 'Clear the card before the filing deadline, or the device locks and can issue no invoice.',
    },
  },
  DEVICE_SILENT: {
    'zh-CN': {
      title: '开票设备长时间无数据',
      automatic: '系统检查到该设备没有抄报、清卡或监控数据，或监控数据已接近离线时限。',
      action: '请确认设备是否仍在使用：在用请联网并完成抄报和清卡，不再使用请将其停用或注销。',
    },
    en: {
      title: 'Invoicing device gone quiet',
      automatic:
        'The device sent no summary, clear-card or monitor reading, or its last reading is close to its offline limit.',
      action:
        'Check whether the device is still in use: bring it online and upload and clear it, or suspend or retire it.',
    },
  },
  RECONCILIATION_INCOMPLETE: {
    'zh-CN': {
      title: '本期对账无法完成',
      automatic: '系统持续按计划重试对账；对账完整完成后此提醒会自动解决。',
      action: '请检查税局连接和调用额度；临近申报截止日仍无法完成时，请在申报前手工核对本期发票。',
    },
    en: {
      title: 'Reconciliation of the period cannot complete',
      automatic:
        'Reconciliation keeps retrying on schedule; this alert resolves itself once a run completes.',
      action:
        "Check the authority connection and call quota; if it still fails near the filing deadline, check the period's invoices by hand before filing.",
    },
  },
  CONTENT_MISMATCH: {
    'zh-CN': {
      title: '发票内容与税局记录不一致',
      automatic: '系统已列出不一致的项目（开票日期、购买方、发票类型或明细行数），未自动更正。',
      action:
        '请核对发票：如我方开具有误，请开具红字发票冲销后重新开具；专用发票的购买方税号有误时，购买方无法抵扣，请尽快处理。',
    },
    en: {
      title: "Invoice content differs from the tax authority's record",
      automatic:
        'The differing fields (issue date, buyer, invoice type or line count) were listed; nothing was corrected.',
      action:
        'Check the invoice: if it was issued wrong, reverse it with a red-letter invoice and issue it again; a special invoice with the wrong buyer tax number cannot be deducted by the buyer, so act soon.',
    },
  },
  RECEIVED_INVOICE_INVALID: {
    'zh-CN': {
      title: '收到的发票查验未通过',
      automatic: '系统已记录查验结果（查验渠道与时间），未抵扣也未修改任何数据，并将在本期内继续复查。',
      action: '请暂勿抵扣该发票的进项税额；核对录入的发票信息，或联系销售方确认并重新开具。',
    },
    en: {
      title: 'A received invoice failed verification (查验)',
      automatic:
        'The verification result (service and time) was recorded; nothing was deducted or changed, and it is checked again within the period.',
      action: 'Do not deduct its input tax; check the entered invoice data, or ask the supplier to confirm and issue it again.',
    },
  },
  RECEIVED_INVOICE_VOIDED: {
    'zh-CN': {
      title: '收到的发票已被销售方作废或红冲',
      automatic: '系统已记录税局返回的发票状态，未修改任何数据。',
      action: '该发票的进项税额不得抵扣：请停止抵扣或作进项税额转出，并联系销售方重新开具。',
    },
    en: {
      title: 'A received invoice was voided or red-reversed by its supplier',
      automatic: "The authority's status of the invoice was recorded; no data was changed.",
      action: 'Its input tax cannot be deducted: stop the deduction or transfer it out, and ask the supplier for a new invoice.',
    },
  },
};

const SEVERITY: Record<FindingSeverity, Record<Language, string>> = {
  info: { 'zh-CN': '提示', en: 'Info' },
  warning: { 'zh-CN': '警告', en: 'Warning' },
  critical: { 'zh-CN': '紧急', en: 'Critical' },
};

const STATE: Record<FindingState, Record<Language, string>> = {
  open: { 'zh-CN': '待处理', en: 'open' },
  remediating: { 'zh-CN': '自动处理中', en: 'being fixed automatically' },
  resolved: { 'zh-CN': '已解决', en: 'resolved' },
  escalated: { 'zh-CN': '已升级', en: 'escalated' },
  ignored: { 'zh-CN': '已忽略', en: 'ignored' },
};

export const typeCopy = (type: FindingType, language: Language): TypeCopy => TYPES[type][language];
export const severityLabel = (severity: FindingSeverity, language: Language): string =>
  SEVERITY[severity][language];
export const stateLabel = (state: FindingState, language: Language): string => STATE[state][language];
