/**
 * The backup a person downloads before a device is reset: every ledger invoice of the device in the periods covered,
 * with what is needed to re-key it or prove it (key, type, code, number, issue time, buyer, amounts, status, source).
 * UTF-8 with a byte order mark (so a spreadsheet reads the Chinese names), CRLF line ends, every field quoted.
 */
export const BACKUP_BOM = '\uFEFF';

export const BACKUP_COLUMNS = [
  'invoiceKey',
  'period',
  'type',
  'code',
  'number',
  'issuedAt',
  'colour',
  'status',
  'buyerTaxNo',
  'buyerName',
  'amount',
  'taxAmount',
  'totalAmount',
  'redReversedAmount',
  'originalKey',
  'source',
  'deviceId',
  'receivedAt',
] as const;

/** One ledger invoice as the backup query reads it (money as the database's decimal text). */
export interface BackupInvoice {
  invoiceKey: string;
  period: string;
  type: string;
  code: string | null;
  number: string;
  issuedAt: Date;
  colour: string;
  status: string;
  buyerTaxNo: string | null;
  buyerName: string | null;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  redReversedAmount: string;
  originalKey: string | null;
  source: string;
  deviceId: string | null;
  receivedAt: Date | null;
}

export function backupHeaderLine(): string {
  return csvLine(BACKUP_COLUMNS);
}

export function backupLine(invoice: BackupInvoice): string {
  return csvLine([
    invoice.invoiceKey,
    invoice.period,
    invoice.type,
    invoice.code,
    invoice.number,
    invoice.issuedAt.toISOString(),
    invoice.colour,
    invoice.status,
    invoice.buyerTaxNo,
    invoice.buyerName,
    invoice.amount,
    invoice.taxAmount,
    invoice.totalAmount,
    invoice.redReversedAmount,
    invoice.originalKey,
    invoice.source,
    invoice.deviceId,
    invoice.receivedAt?.toISOString() ?? null,
  ]);
}

/**
 * RFC 4180 with every field in quotes (so invoice codes and numbers keep their leading zeros as text) and inner quotes
 * doubled. Text a spreadsheet would evaluate as a formula (a buyer name starting with =, +, -, @ or a control
 * character) gets a leading apostrophe; a plain number such as a negative amount of a red invoice is left as it is.
 */
export function csvLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map(quoted).join(',')}\r\n`;
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r\n]/;

function quoted(value: string | null | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return `"${text.split('"').join('""')}"`;
}
