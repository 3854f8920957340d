/** UTF-8 byte order mark: Excel opens a CSV as UTF-8 (Chinese headers and names) only with it. */
export const CSV_BOM = '\uFEFF';

/**
 * One CSV field, always quoted (RFC 4180: quotes doubled), so codes keep their leading zeros and commas or line breaks
 * stay inside the field. A value that a spreadsheet would run as a formula (= + - @, tab, CR first) is prefixed with
 * an apostrophe (CSV injection); a number stays text because it is quoted and the sheet is told nothing else.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
