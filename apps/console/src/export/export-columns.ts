export type Lang = 'zh' | 'en';

export interface Column {
  en: string;
  zh: string;
  value: (row: Record<string, unknown>, lang: Lang) => unknown;
}

const field =
  (...names: string[]) =>
  (row: Record<string, unknown>): unknown => {
    for (const name of names) {
      const value = name
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | null)?.[key], row);
      if (value !== undefined && value !== null && value !== '') return value;
    }
    return '';
  };

const column = (en: string, zh: string, ...names: string[]): Column => ({ en, zh, value: field(...names) });

/** A yes/no in the reader's language; empty when unknown. */
const yesNo = (en: string, zh: string, name: string): Column => ({
  en,
  zh,
  value: (row, lang) => {
    const value = field(name)(row);
    if (typeof value !== 'boolean') return '';
    return lang === 'en' ? (value ? 'yes' : 'no') : value ? '是' : '否';
  },
});

/**
 * The columns of each export: the page's table first, in its order and with its headers (PRODUCT.md, "Export"), then
 * identifiers that make a row traceable.
 */
export const EXPORT_COLUMNS = {
  findings: [
    column('Type', '类型', 'type'),
    column('State', '状态', 'state'),
    column('Severity', '严重程度', 'severity'),
    column('Branch', '分支机构', 'branchId'),
    column('Period', '所属期', 'period'),
    column('Invoice', '发票', 'invoiceKey', 'invoiceNumber'),
    column('Explanation', '说明', 'explanation'),
    column('ID', '编号', 'id'),
    column('Taxpayer', '纳税人识别号', 'taxNo'),
  ],
  invoices: [
    column('Invoice', '发票', 'key'),
    column('Number', '发票号码', 'number'),
    column('Code', '发票代码', 'code'),
    column('Issued at', '开票时间', 'issuedAt'),
    column('Taxpayer', '纳税人识别号', 'taxNo'),
    column('Branch', '分支机构', 'branchId'),
    column('Device', '设备', 'deviceId'),
    column('Buyer', '购买方', 'buyerName', 'buyerTaxNo'),
    column('Total', '价税合计', 'totalAmount'),
    column('Status', '状态', 'status'),
    column('Period', '所属期', 'period'),
  ],
  // the devices page's columns: the gateway's registry, then reconcile's compliance (device-compliance.join.ts)
  devices: [
    column('Device', '设备', 'deviceId'),
    column('Name', '名称', 'name'),
    column('Taxpayer', '纳税人', 'taxNo'),
    column('Branch', '分支机构', 'branchId'),
    column('Device number (机器编号)', '机器编号', 'deviceNo', 'compliance.deviceNo'),
    column('Last clear-card (清卡)', '最近清卡', 'compliance.lastClearCard.period'),
    column('Clear-card status', '清卡结果', 'compliance.lastClearCard.status'),
    column('Clear-card time', '清卡时间', 'compliance.lastClearCard.at'),
    yesNo('Cleared for the period due', '申报期已清卡', 'compliance.clearedForPeriod'),
    column('Lock date', '锁死日期', 'compliance.lockDate'),
    column('Offline amount', '离线开票金额', 'compliance.offlineAmount'),
    column('Offline amount limit', '离线开票金额上限', 'compliance.offlineAmountLimit'),
    column('Offline since', '离线开始时间', 'compliance.offlineSince'),
    column('Offline time limit (hours)', '离线开票时长上限（小时）', 'compliance.offlineHoursLimit'),
    column('Last summary upload (抄报)', '最近抄报', 'compliance.lastReport.period'),
    column('Summary upload time', '抄报时间', 'compliance.lastReport.at'),
    column('State', '状态', 'status'),
    column('Registered', '登记时间', 'createdAt'),
    column('Updated', '更新时间', 'updatedAt'),
  ],
  audit: [
    column('Time', '时间', 'at'),
    column('Action', '操作', 'action'),
    column('Actor', '操作人', 'actor.name', 'actor.subject'),
    column('Target', '对象', 'target.id'),
    column('Target type', '对象类型', 'target.type'),
    column('Taxpayer', '纳税人识别号', 'taxNo'),
    column('Branch', '分支机构', 'branchId'),
    column('Reason', '原因', 'reason'),
    column('Service', '服务', 'service'),
  ],
} satisfies Record<string, Column[]>;

export type ExportKind = keyof typeof EXPORT_COLUMNS;
export const EXPORT_KINDS = Object.keys(EXPORT_COLUMNS) as ExportKind[];

export const headersOf = (columns: readonly Column[], lang: Lang): string[] => columns.map((c) => c[lang]);

/** Every cell as text: codes keep leading zeros and amounts their decimals, whatever the sheet would guess. */
export const cellsOf = (
  columns: readonly Column[],
  row: Record<string, unknown>,
  lang: Lang = 'zh',
): string[] =>
  columns.map((c) => {
    const value = c.value(row, lang);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
