import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryOne, queryRows } from '@lib/persistence';
import { BranchScope, scopeParam } from '@lib/platform';

/** A ledger row as the admin API shows it: money as text, read as it is stored. */
export type InvoiceDetailRow = Record<string, string | number | Date | null>;

/** An event received for an invoice, whatever became of it (applied, parked or ignored). */
export type InvoiceEventRow = Record<string, string | Date | null>;

export interface InvoiceHistoryRow {
  version: number;
  state: string;
  cause: string;
  at: Date;
}

/**
 * The ledger's reads for people (the admin API and its audit): each sees an invoice only within `scope`, so an
 * invoice outside the caller's branches reads exactly like a missing one.
 */
@Injectable()
export class LedgerReadsRepository {
  /** The invoice's taxpayer and branch, when it is in the ledger and within `scope`. */
  async ownerInScope(
    manager: EntityManager,
    invoiceKey: string,
    scope: BranchScope,
  ): Promise<{ tax_no: string; branch_id: string } | undefined> {
    return queryOne<{ tax_no: string; branch_id: string }>(
      manager,
      `SELECT tax_no, branch_id FROM invoices
        WHERE invoice_key = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))`,
      [invoiceKey, scopeParam(scope)],
    );
  }

  /** The invoice's ledger state, when it is in the ledger and within `scope`. */
  async detailInScope(
    manager: EntityManager,
    invoiceKey: string,
    scope: BranchScope,
  ): Promise<InvoiceDetailRow | undefined> {
    return queryOne<InvoiceDetailRow>(
      manager,
      `SELECT tax_no, branch_id, invoice_type, colour, state, version, original_key, total_amount::text, red_reversed_amount::text, issued_at
         FROM invoices WHERE invoice_key = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))`,
      [invoiceKey, scopeParam(scope)],
    );
  }

  /** Every event received for the invoice, in the order they arrived. */
  async events(manager: EntityManager, invoiceKey: string): Promise<InvoiceEventRow[]> {
    return queryRows<InvoiceEventRow>(
      manager,
      'SELECT event_id, kind, status, reason, occurred_at, applied_at FROM invoice_events WHERE invoice_key = $1 ORDER BY received_at, event_id',
      [invoiceKey],
    );
  }

  /** The invoice's states, one per version. */
  async history(manager: EntityManager, invoiceKey: string): Promise<InvoiceHistoryRow[]> {
    return queryRows<InvoiceHistoryRow>(
      manager,
      'SELECT version, state, cause, at FROM invoice_history WHERE invoice_key = $1 ORDER BY version',
      [invoiceKey],
    );
  }
}
