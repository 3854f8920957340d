import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '@lib/common';
import { formatMoney, isInvoiceKey, tryParseMoney } from '@lib/domain';
import { AuthorityListRecord } from './authority-list.port';

const STATUSES = new Set(['NORMAL', 'VOIDED', 'RED_REVERSED']);

/** Stages one pulled page in bulk (one multi-row INSERT over unnest arrays), every row tagged with its channel. */
@Injectable()
export class StagingRepository {
  async stagePage(m: EntityManager, runId: string, pageNo: number, channel: string, items: AuthorityListRecord[], observedAt: Date): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map(validated);
    await m.query(
      `INSERT INTO authority_staged (run_id, page_no, channel, invoice_key, invoice_type, invoice_code, invoice_number, issued_at,
         amount, tax_amount, total_amount, status, observed_at)
       SELECT $1, $2, $3, k, t, c, n, i, a, x, tot, s, $4
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[])
           AS r(k, t, c, n, i, a, x, tot, s)`,
      [
        runId, pageNo, channel, observedAt,
        rows.map((r) => r.invoiceKey), rows.map((r) => r.type), rows.map((r) => r.code), rows.map((r) => r.number), rows.map((r) => r.issuedAt),
        rows.map((r) => r.amount), rows.map((r) => r.taxAmount), rows.map((r) => r.totalAmount), rows.map((r) => r.status),
      ],
    );
  }

  async clear(m: EntityManager, runId: string): Promise<void> {
    await m.query('DELETE FROM authority_staged WHERE run_id = $1', [runId]);
  }
}

/** A record we cannot read exactly makes the page untrustworthy: the channel fails rather than skew the comparison. */
export function validated(r: AuthorityListRecord): AuthorityListRecord {
  const money = (v: string, field: string) => {
    const parsed = tryParseMoney(v);
    if (!parsed.ok) throw invalid(r, `${field} ${parsed.message}`);
    return formatMoney(parsed.fen);
  };
  if (!isInvoiceKey(r.invoiceKey)) throw invalid(r, 'invoiceKey is not an invoice key');
  if (!STATUSES.has(r.status)) throw invalid(r, `unknown status ${String(r.status)}`);
  if (Number.isNaN(new Date(r.issuedAt).getTime())) throw invalid(r, 'issuedAt is not a timestamp');
  return { ...r, amount: money(r.amount, 'amount'), taxAmount: money(r.taxAmount, 'taxAmount'), totalAmount: money(r.totalAmount, 'totalAmount') };
}

function invalid(r: AuthorityListRecord, why: string): AppError {
  return new AppError('AUTHORITY_RECORD_INVALID', 'validation', `record ${String(r.invoiceKey)}: ${why}`);
}
