import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceToCheck } from './invoice-check.port';
import { LEDGER_VERSION_SQL } from './ledger-version.sql';

/** A ledger invoice to check, with the version of it an answer is asked for (see LEDGER_VERSION_SQL). */
export type ScopeInvoice = InvoiceToCheck & { ledgerVersion: string };

/**
 * The columns of ledger invoice `l` an authority check needs, with the targets that accepted it (directly or as the
 * relay): read by toInvoiceToCheck.
 */
export const INVOICE_TO_CHECK_COLUMNS = `l.invoice_key, l.invoice_type, l.invoice_code, l.invoice_number, l.issued_at,
  l.amount::text AS amount, l.tax_amount::text AS tax_amount, l.total_amount::text AS total_amount,
  ARRAY(SELECT DISTINCT x FROM sync_deliveries d, unnest(ARRAY[d.target, d.relayed_via]) x
         WHERE d.invoice_key = l.invoice_key AND d.first_accepted_at IS NOT NULL AND x IS NOT NULL) AS accepted_by`;

export function toInvoiceToCheck(r: Record<string, unknown>): InvoiceToCheck {
  return {
    invoiceKey: String(r.invoice_key),
    type: String(r.invoice_type),
    code: (r.invoice_code as string | null) ?? null,
    number: String(r.invoice_number),
    issuedAt: new Date(r.issued_at as string).toISOString(),
    amount: String(r.amount),
    taxAmount: String(r.tax_amount),
    totalAmount: String(r.total_amount),
    acceptedBy: (r.accepted_by as string[]) ?? [],
  };
}

/** The scope's ledger invoices in key order, a page at a time (the per-invoice pull's resumable cursor is the last key). */
@Injectable()
export class LedgerScopeRepository {
  async page(
    m: EntityManager,
    taxNo: string,
    period: string,
    afterKey: string | null,
    limit: number,
  ): Promise<ScopeInvoice[]> {
    const rows = (await m.query(
      `SELECT ${INVOICE_TO_CHECK_COLUMNS}, ${LEDGER_VERSION_SQL} AS ledger_version
         FROM ledger_invoices l
        WHERE l.tax_no = $1 AND l.period = $2 AND l.source = 'ledger' AND ($3::text IS NULL OR l.invoice_key > $3)
        ORDER BY l.invoice_key LIMIT $4`,
      [taxNo, period, afterKey, limit],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({ ...toInvoiceToCheck(r), ledgerVersion: String(r.ledger_version) }));
  }
}
