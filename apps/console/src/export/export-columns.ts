export type Lang = 'zh' | 'en';

export interface Column {
  en: string;
  zh: string;
  value: (row: Record<string, unknown>) => unknown;
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
  devices: [
    column('Device', '设备', 'deviceId'),
    column('Name', '名称', 'name'),
    column('Taxpayer', '纳税人识别号', 'taxNo'),
    column('Branch', '分支机构', 'branchId'),
    column('Device number', '设备编号', 'deviceNo'),
    column('Status', '状态', 'status'),
    column('Registered', '注册时间', 'createdAt'),
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
export const cellsOf = (columns: readonly Column[], row: Record<string, unknown>): string[] =>
  columns.map((c) => {
    const value = c.value(row);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
