import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BranchScope, scopeParam } from '@lib/platform';

export interface InvoiceSearch {
  number?: string;
  code?: string;
  /** Issue time bounds, `from` inclusive, `to` exclusive. */
  from?: Date;
  to?: Date;
  taxNo?: string;
  branchId?: string;
  deviceId?: string;
  /** The buyer's tax number exactly, or a part of the buyer's name. */
  buyer?: string;
}

export interface LedgerInvoiceView {
  key: string;
  type: string;
  code: string | null;
  number: string;
  colour: 'blue' | 'red';
  issuedAt: string;
  period: string;
  taxNo: string;
  branchId: string | null;
  deviceId: string | null;
  buyerTaxNo: string | null;
  buyerName: string | null;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  /** The ledger state: issued, voided or red_reversed. */
  status: string;
  /** `ledger` (the devices reported it) or `authority` (back-filled from the authority's records). */
  source: string;
}

/** $1 is the caller's branch scope; a filter left out is NULL, folded away when the statement is planned with its values. */
const FILTERS = `($1::text[] IS NULL OR branch_id = ANY($1::text[]))
  AND ($2::text IS NULL OR invoice_number = $2) AND ($3::text IS NULL OR invoice_code = $3)
  AND ($4::timestamptz IS NULL OR issued_at >= $4) AND ($5::timestamptz IS NULL OR issued_at < $5)
  AND ($6::text IS NULL OR tax_no = $6) AND ($7::text IS NULL OR branch_id = $7) AND ($8::text IS NULL OR device_id = $8)
  AND ($9::text IS NULL OR buyer_tax_no = $9 OR strpos(buyer_name, $9) > 0)`;

const params = (scope: BranchScope, s: InvoiceSearch) => [
  scopeParam(scope),
  s.number ?? null,
  s.code ?? null,
  s.from ?? null,
  s.to ?? null,
  s.taxNo ?? null,
  s.branchId ?? null,
  s.deviceId ?? null,
  s.buyer ?? null,
];

/** The ledger projection as a searchable list for people, within their branch scope, newest issue first. */
@Injectable()
export class LedgerQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async search(
    scope: BranchScope,
    s: InvoiceSearch,
    before: { at: string; id: string } | null,
    limit: number,
  ): Promise<LedgerInvoiceView[]> {
    const rows = (await this.dataSource.query(
      `SELECT invoice_key, invoice_type, invoice_code, invoice_number, colour, issued_at, period, tax_no, branch_id, device_id,
              buyer_tax_no, buyer_name, amount::text, tax_amount::text, total_amount::text, state, source
         FROM ledger_invoices
        WHERE ${FILTERS} AND ($10::timestamptz IS NULL OR (issued_at, invoice_key) < ($10::timestamptz, $11::text))
        ORDER BY issued_at DESC, invoice_key DESC LIMIT $12`,
      [...params(scope, s), before?.at ?? null, before?.id ?? null, limit],
    )) as Record<string, string | null>[];
    return rows.map((r) => ({
      key: String(r.invoice_key),
      type: String(r.invoice_type),
      code: r.invoice_code,
      number: String(r.invoice_number),
      colour: r.colour as 'blue' | 'red',
      issuedAt: new Date(r.issued_at as string).toISOString(),
      period: String(r.period),
      taxNo: String(r.tax_no),
      branchId: r.branch_id,
      deviceId: r.device_id,
      buyerTaxNo: r.buyer_tax_no,
      buyerName: r.buyer_name,
      amount: String(r.amount),
      taxAmount: String(r.tax_amount),
      totalAmount: String(r.total_amount),
      status: String(r.state),
      source: String(r.source),
    }));
  }

  async count(scope: BranchScope, s: InvoiceSearch): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT COUNT(*)::int AS n FROM ledger_invoices WHERE ${FILTERS}`,
      params(scope, s),
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** One invoice's ledger row as the timeline shows it (column names as stored), or null. */
  async invoice(invoiceKey: string): Promise<Record<string, unknown> | null> {
    const [row] = (await this.dataSource.query(
      `SELECT invoice_key, tax_no, branch_id, device_id, period, invoice_type, state, amount::text, tax_amount::text, total_amount::text,
              source, confirmed_at FROM ledger_invoices WHERE invoice_key = $1`,
      [invoiceKey],
    )) as Record<string, unknown>[];
    return row ?? null;
  }

  /** The events the ledger projection recorded for one invoice. */
  async events(invoiceKey: string): Promise<{ event_id: string; kind: string; received_at: Date; summary: Record<string, unknown> }[]> {
    return (await this.dataSource.query('SELECT event_id, kind, received_at, summary FROM ledger_events WHERE invoice_key = $1', [
      invoiceKey,
    ])) as { event_id: string; kind: string; received_at: Date; summary: Record<string, unknown> }[];
  }
}
