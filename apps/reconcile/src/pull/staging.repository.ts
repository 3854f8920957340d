import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '@lib/common';
import { formatMoney, isInvoiceKey, tryParseMoney } from '@lib/domain';
import { AuthorityListRecord } from './authority-list.port';
import { ReconcileErrorCode } from '../reconcile-error-codes';

const STATUSES = new Set(['NORMAL', 'VOIDED', 'RED_REVERSED']);

/** One row of a page to stage: the record, whether it is its key's latest in the page, and whether the page holds its key with several contents. */
interface PageRow {
  record: AuthorityListRecord;
  latest: boolean;
  conflicting: boolean;
}

/**
 * Stages pulled pages, one statement per page. `authority_staged` holds one row per (run, invoice key), the latest
 * observation (a later page replaces an earlier one's row); a key seen with different money (amount, tax, total) is
 * marked `conflicting`, and each of its contents is kept in `authority_staged_versions` for the DUPLICATE_INVOICE
 * evidence. So the comparison reads the staged rows as they are, with no de-duplication of its own. The buyer and the
 * line count are staged as the channel gave them (null when it does not carry them); the comparison normalises the buyer.
 */
@Injectable()
export class StagingRepository {
  async stagePage(m: EntityManager, runId: string, pageNo: number, channel: string, items: AuthorityListRecord[], observedAt: Date): Promise<void> {
    if (items.length === 0) return;
    const rows = collapse(items.map(validated));
    const r = (pick: (row: PageRow) => unknown) => rows.map(pick);
    await m.query(
      `WITH incoming AS (
         SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::numeric[], $11::numeric[], $12::numeric[],
                              $13::text[], $14::boolean[], $15::boolean[], $16::text[], $17::text[], $18::int[])
                       AS r(k, t, c, n, i, a, x, tot, s, latest, conflicting, bt, bn, lc)),
       prior AS (
         -- the key's row so far, looked up by index per incoming key (LIMIT keeps the planner from hashing the whole table)
         SELECT s.*, s.conflicting OR i.conflicting OR (s.amount, s.tax_amount, s.total_amount) IS DISTINCT FROM (i.a, i.x, i.tot) AS now_conflicting
           FROM incoming i CROSS JOIN LATERAL (
                  SELECT * FROM authority_staged s WHERE s.run_id = $1 AND s.invoice_key = i.k LIMIT 1) s
          WHERE i.latest),
       kept AS (
         INSERT INTO authority_staged_versions (run_id, invoice_key, amount, tax_amount, total_amount, status, channel, page_no, observed_at)
         SELECT $1, invoice_key, amount, tax_amount, total_amount, status, channel, page_no, observed_at FROM prior WHERE now_conflicting
         UNION ALL
         SELECT $1, i.k, i.a, i.x, i.tot, i.s, $3, $2, $4 FROM incoming i LEFT JOIN prior p ON p.invoice_key = i.k
          WHERE i.conflicting OR p.now_conflicting
         ON CONFLICT DO NOTHING)
       INSERT INTO authority_staged AS s (run_id, page_no, channel, invoice_key, invoice_type, invoice_code, invoice_number, issued_at,
         amount, tax_amount, total_amount, status, observed_at, conflicting, buyer_tax_no, buyer_name, line_count)
       SELECT $1, $2, $3, i.k, i.t, i.c, i.n, i.i, i.a, i.x, i.tot, i.s, $4, i.conflicting OR COALESCE(p.now_conflicting, false), i.bt, i.bn, i.lc
         FROM incoming i LEFT JOIN prior p ON p.invoice_key = i.k WHERE i.latest
       ON CONFLICT (run_id, invoice_key) DO UPDATE SET
         page_no = EXCLUDED.page_no, channel = EXCLUDED.channel, invoice_type = EXCLUDED.invoice_type, invoice_code = EXCLUDED.invoice_code,
         invoice_number = EXCLUDED.invoice_number, issued_at = EXCLUDED.issued_at, amount = EXCLUDED.amount, tax_amount = EXCLUDED.tax_amount,
         total_amount = EXCLUDED.total_amount, status = EXCLUDED.status, observed_at = EXCLUDED.observed_at, conflicting = EXCLUDED.conflicting,
         buyer_tax_no = EXCLUDED.buyer_tax_no, buyer_name = EXCLUDED.buyer_name, line_count = EXCLUDED.line_count`,
      [
        runId, pageNo, channel, observedAt,
        r((x) => x.record.invoiceKey), r((x) => x.record.type), r((x) => x.record.code), r((x) => x.record.number), r((x) => x.record.issuedAt),
        r((x) => x.record.amount), r((x) => x.record.taxAmount), r((x) => x.record.totalAmount), r((x) => x.record.status),
        r((x) => x.latest), r((x) => x.conflicting),
        r((x) => x.record.buyerTaxNo ?? null), r((x) => x.record.buyerName ?? null), r((x) => x.record.lineCount ?? null),
      ],
    );
  }

  /**
   * What the authority was seen to hold of one invoice, run by run. An answer reused by later runs (per-invoice pull) is
   * one observation: returned once, under the run that asked.
   */
  async observations(m: EntityManager, invoiceKey: string): Promise<(Record<string, unknown> & { observed_at: Date })[]> {
    return (await m.query(
      `SELECT DISTINCT ON (a.channel, a.observed_at) COALESCE(a.reused_from_run, a.run_id) AS run_id, a.channel, a.status, a.amount::text,
              a.tax_amount::text, a.total_amount::text, a.observed_at
         FROM authority_staged a WHERE a.invoice_key = $1
        ORDER BY a.channel, a.observed_at, a.reused_from_run IS NULL DESC`,
      [invoiceKey],
    )) as (Record<string, unknown> & { observed_at: Date })[];
  }

  async clear(m: EntityManager, runId: string): Promise<void> {
    await m.query('DELETE FROM authority_staged_versions WHERE run_id = $1', [runId]);
    await m.query('DELETE FROM authority_staged WHERE run_id = $1', [runId]);
  }
}

/**
 * A page's records, one `latest` row per key (its last occurrence in the page), plus one row per other content
 * of a key the page lists with several contents (those rows only feed authority_staged_versions).
 */
export function collapse(records: AuthorityListRecord[]): PageRow[] {
  const byKey = new Map<string, { latest: AuthorityListRecord; contents: Map<string, AuthorityListRecord> }>();
  for (const record of records) {
    const seen = byKey.get(record.invoiceKey);
    if (seen) {
      seen.latest = record;
      seen.contents.set(moneyOf(record), record);
    } else {
      byKey.set(record.invoiceKey, { latest: record, contents: new Map([[moneyOf(record), record]]) });
    }
  }
  const rows: PageRow[] = [];
  for (const { latest, contents } of byKey.values()) {
    const conflicting = contents.size > 1;
    rows.push({ record: latest, latest: true, conflicting });
    if (conflicting) {
      const latestMoney = moneyOf(latest);
      for (const [money, record] of contents) if (money !== latestMoney) rows.push({ record, latest: false, conflicting });
    }
  }
  return rows;
}

/** Money as staged (validated: canonical decimal strings), the content that makes two observations conflict. */
function moneyOf(r: AuthorityListRecord): string {
  return `${r.amount}|${r.taxAmount}|${r.totalAmount}`;
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
  if (r.lineCount !== undefined && r.lineCount !== null && !(Number.isInteger(r.lineCount) && r.lineCount >= 0)) {
    throw invalid(r, `lineCount ${String(r.lineCount)} is not a count`);
  }
  return { ...r, amount: money(r.amount, 'amount'), taxAmount: money(r.taxAmount, 'taxAmount'), totalAmount: money(r.totalAmount, 'totalAmount') };
}

function invalid(r: AuthorityListRecord, why: string): AppError {
  return new AppError(ReconcileErrorCode.AUTHORITY_RECORD_INVALID, 'validation', `record ${String(r.invoiceKey)}: ${why}`);
}
