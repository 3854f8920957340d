import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returningRows } from '@lib/persistence';
import { BranchScope, scopeParam } from '@lib/platform';
import type { Actor } from '@lib/platform';
import { decodeCursor, pageOf, UUID_ID } from '../persistence/keyset-cursor';
import { CheckTrigger, ReceivedCheck, ReceivedInvoice, toReceivedCheck, toReceivedInvoice } from './received-invoice.model';
import { ListReceivedQuery } from './received.schemas';

/** A registration, as the service computed it from the input (key, period); who registered it comes apart. */
export type NewReceivedInvoice = Omit<
  ReceivedInvoice,
  'id' | 'issuedAt' | 'registeredAt' | 'registeredBy' | 'lastResult' | 'lastChannel' | 'lastCheckedAt' | 'nextCheckAt'
> & { issuedAt: Date };

export interface NewCheck {
  receivedInvoiceId: string;
  checkedAt: Date;
  trigger: CheckTrigger;
  result: string;
  channel: string | null;
  returnCode: string | null;
  returnMessage: string | null;
  authorityStatus: string | null;
  attempts: unknown[];
  requestedBy: Actor;
}

/** Received invoices, their checks, and the claims of the scheduled re-check. */
@Injectable()
export class ReceivedInvoicesRepository {
  /** Inserts the invoice unless the taxpayer has it already; returns the row and whether it is new. */
  async register(m: EntityManager, r: NewReceivedInvoice, by: Actor, now: Date): Promise<{ row: ReceivedInvoice; created: boolean }> {
    const inserted = (await m.query(
      `INSERT INTO received_invoices (tax_no, branch_id, invoice_key, invoice_type, invoice_code, invoice_number, issued_at, period,
         seller_tax_no, seller_name, amount, tax_amount, total_amount, check_code, registered_at, registered_by_kind, registered_by,
         registered_by_name, next_check_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $15)
       ON CONFLICT (tax_no, invoice_key) DO NOTHING
       RETURNING *`,
      [r.taxNo, r.branchId, r.invoiceKey, r.type, r.code, r.number, r.issuedAt, r.period, r.sellerTaxNo, r.sellerName, r.amount,
        r.taxAmount, r.totalAmount, r.checkCode, now, by.kind, by.subject.slice(0, 200), by.name.slice(0, 200)],
    )) as Record<string, unknown>[];
    if (inserted[0]) return { row: toReceivedInvoice(inserted[0]), created: true };
    const [existing] = (await m.query('SELECT * FROM received_invoices WHERE tax_no = $1 AND invoice_key = $2', [r.taxNo, r.invoiceKey])) as Record<string, unknown>[];
    return { row: toReceivedInvoice(existing), created: false };
  }

  /** One invoice within the scope (null: unknown or another branch's, which the API answers alike); `lock`: FOR UPDATE. */
  async get(m: EntityManager, id: string, scope: BranchScope, lock = false): Promise<ReceivedInvoice | null> {
    const [row] = (await m.query(
      `SELECT * FROM received_invoices WHERE id = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))${lock ? ' FOR UPDATE' : ''}`,
      [id, scopeParam(scope)],
    )) as Record<string, unknown>[];
    return row ? toReceivedInvoice(row) : null;
  }

  async list(m: EntityManager, scope: BranchScope, q: ListReceivedQuery): Promise<{ items: ReceivedInvoice[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor, UUID_ID) : null;
    const rows = (await m.query(
      `SELECT * FROM received_invoices
        WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[]))
          AND ($2::text IS NULL OR tax_no = $2) AND ($3::text IS NULL OR branch_id = $3) AND ($4::text IS NULL OR period = $4)
          AND ($5::text IS NULL OR last_result = $5)
          AND ($6::timestamptz IS NULL OR (registered_at, id) < ($6, $7::uuid))
        ORDER BY registered_at DESC, id DESC LIMIT $8`,
      [scopeParam(scope), q.taxNo ?? null, q.branchId ?? null, q.period ?? null, q.result ?? null, after?.at ?? null, after?.id ?? null, q.limit + 1],
    )) as Record<string, unknown>[];
    return pageOf(rows.map(toReceivedInvoice), q.limit, (last) => [last.registeredAt, last.id]);
  }

  async checks(m: EntityManager, receivedInvoiceId: string, limit = 100): Promise<ReceivedCheck[]> {
    const rows = (await m.query(
      'SELECT * FROM received_checks WHERE received_invoice_id = $1 ORDER BY checked_at DESC, id DESC LIMIT $2',
      [receivedInvoiceId, limit],
    )) as Record<string, unknown>[];
    return rows.map(toReceivedCheck);
  }

  /** Records a check and moves the invoice's latest result and next re-check; releases a re-check's claim. */
  async recordCheck(m: EntityManager, c: NewCheck, nextCheckAt: Date): Promise<ReceivedCheck> {
    const [row] = (await m.query(
      `INSERT INTO received_checks (received_invoice_id, checked_at, trigger, result, channel, return_code, return_message, authority_status,
         attempts, requested_by_kind, requested_by, requested_by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [c.receivedInvoiceId, c.checkedAt, c.trigger, c.result, c.channel, c.returnCode, c.returnMessage?.slice(0, 500) ?? null,
        c.authorityStatus, JSON.stringify(c.attempts), c.requestedBy.kind, c.requestedBy.subject.slice(0, 200), c.requestedBy.name.slice(0, 200)],
    )) as Record<string, unknown>[];
    await m.query(
      `UPDATE received_invoices SET last_result = $2, last_channel = $3, last_checked_at = $4, next_check_at = $5, claimed_by = NULL,
         claim_until = NULL WHERE id = $1`,
      [c.receivedInvoiceId, c.result, c.channel, c.checkedAt, nextCheckAt],
    );
    return toReceivedCheck(row);
  }

  /**
   * Claims up to `limit` invoices of the open periods whose re-check is due, for one worker until `until`: FOR UPDATE
   * SKIP LOCKED, so replicas claiming at once take different rows, and a claim whose worker died is taken over after its
   * lease. An invoice the authority showed voided or red-reversed stays so: it is not re-checked.
   */
  async claimDue(m: EntityManager, worker: string, now: Date, until: Date, fromPeriod: string, limit: number): Promise<ReceivedInvoice[]> {
    const rows = await returningRows<Record<string, unknown>>(
      m,
      `UPDATE received_invoices r SET claimed_by = $1, claim_until = $3
        WHERE r.id IN (SELECT id FROM received_invoices
                        WHERE next_check_at <= $2 AND period >= $4 AND (claim_until IS NULL OR claim_until < $2)
                          AND (last_result IS NULL OR last_result NOT IN ('VOIDED', 'RED_REVERSED'))
                        ORDER BY next_check_at, id LIMIT $5 FOR UPDATE SKIP LOCKED)
        RETURNING r.*`,
      [worker, now, until, fromPeriod, limit],
    );
    return rows.map(toReceivedInvoice);
  }

  /** Whether this worker still holds the invoice's claim (locks the row for the rest of the transaction). */
  async holdsClaim(m: EntityManager, id: string, worker: string): Promise<boolean> {
    const rows = (await m.query('SELECT 1 FROM received_invoices WHERE id = $1 AND claimed_by = $2 FOR UPDATE', [id, worker])) as unknown[];
    return rows.length > 0;
  }

  /** Gives a claim back with the next time to try (no channel answered, or no quota left today). */
  async release(m: EntityManager, id: string, worker: string, nextCheckAt: Date): Promise<void> {
    await m.query('UPDATE received_invoices SET claimed_by = NULL, claim_until = NULL, next_check_at = $3 WHERE id = $1 AND claimed_by = $2', [
      id,
      worker,
      nextCheckAt,
    ]);
  }
}
