import type { Response } from 'express';
import { stream as excelStream } from 'exceljs';
import { CSV_BOM, csvRow } from './csv';

/** A download written row by row as the pages arrive. */
export interface ExportWriter {
  contentType: string;
  start(headers: string[]): Promise<void>;
  row(cells: string[]): void;
  /** Waits while the client is slower than the service (bounded memory). */
  drained(): Promise<void>;
  finish(): Promise<void>;
}

const HIGH_WATER = 1 << 20;

async function drain(res: Response): Promise<void> {
  if (res.writableLength < HIGH_WATER || res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function csvWriter(res: Response): ExportWriter {
  return {
    contentType: 'text/csv; charset=utf-8',
    async start(headers) {
      res.write(CSV_BOM + csvRow(headers));
    },
    row(cells) {
      res.write(csvRow(cells));
    },
    drained: () => drain(res),
    async finish() {
      await new Promise<void>((resolve) => res.end(resolve));
    },
  };
}

/** exceljs's streaming writer: each committed row leaves memory; cells are strings (text), no shared-strings table. */
export function xlsxWriter(res: Response, sheetName: string): ExportWriter {
  const workbook = new excelStream.xlsx.WorkbookWriter({
    stream: res,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName);
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    async start(headers) {
      sheet.addRow(headers).commit();
    },
    row(cells) {
      sheet.addRow(cells).commit();
    },
    drained: () => drain(res),
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
