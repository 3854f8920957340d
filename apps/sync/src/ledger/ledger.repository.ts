import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { formatMoney, Invoice, parseMoney, tryInvoiceKey } from '@lib/domain';
import { queryRows, returningRows } from '@lib/persistence';
import { InvoiceColour, InvoiceState, LedgerEvent, LedgerInvoice } from './ledger.model';
import { stateAfterRedReversal } from './ledger.rules';

export type EventStatus = 'applied' | 'parked' | 'ignored';

interface InvoiceRow {
  invoice_key: string;
  tax_no: string;
  colour: InvoiceColour;
  state: InvoiceState;
  original_key: string | null;
  content_hash: string;
  version: number;
  total_amount: string;
  red_reversed_amount: string;
}

/** The ledger's writes, always inside the caller's transaction (the inbox or the worker's outcome). */
@Injectable()
export class LedgerRepository {
  async lock(manager: EntityManager, invoiceKey: string): Promise<LedgerInvoice | undefined> {
    const rows = await queryRows<InvoiceRow>(
      manager,
      'SELECT * FROM invoices WHERE invoice_key = $1 FOR UPDATE',
      [invoiceKey],
    );
    return rows[0] && toLedger(rows[0]);
  }

  /** The invoice as it was recorded (its JSON payload), or undefined when the ledger has no such invoice. */
  async payload(manager: EntityManager, invoiceKey: string): Promise<Invoice | undefined> {
    const [row] = await queryRows<{ invoice: Invoice }>(
      manager,
      'SELECT invoice FROM invoices WHERE invoice_key = $1',
      [invoiceKey],
    );
    return row?.invoice;
  }

  async exists(manager: EntityManager, invoiceKey: string): Promise<boolean> {
    const rows = await queryRows(manager, 'SELECT 1 FROM invoices WHERE invoice_key = $1', [invoiceKey]);
    return rows.length === 1;
  }

  async create(
    manager: EntityManager,
    event: LedgerEvent,
    colour: InvoiceColour,
    contentHash: string,
    now: Date,
  ): Promise<void> {
    const original = colour === 'red' && event.invoice.original ? originalKeyOf(event.invoice) : null;
    await manager.query(
      `INSERT INTO invoices (invoice_key, tax_no, branch_id, device_id, invoice_type, colour, state, original_key,
                             total_amount, issued_at, content_hash, invoice, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'issued', $7, $8, $9, $10, $11, 1, $12, $12)`,
      [
        event.invoiceKey,
        event.taxNo,
        event.branchId,
        event.deviceId,
        event.invoice.type,
        colour,
        original,
        event.invoice.totalAmount,
        event.invoice.issuedAt,
        contentHash,
        JSON.stringify(event.invoice),
        now,
      ],
    );
    await this.history(
      manager,
      event.invoiceKey,
      1,
      'issued',
      colour === 'red' ? 'red-issued' : 'issued',
      event.eventId,
      now,
    );
  }

  async markVoided(
    manager: EntityManager,
    invoice: LedgerInvoice,
    eventId: string,
    now: Date,
  ): Promise<void> {
    const version = invoice.version + 1;
    await manager.query(
      `UPDATE invoices SET state = 'voided', version = $2, updated_at = $3 WHERE invoice_key = $1`,
      [invoice.invoiceKey, version, now],
    );
    await this.history(manager, invoice.invoiceKey, version, 'voided', 'voided', eventId, now);
  }

  /**
   * A red invoice reached the authority: its original is reduced by the red total, and becomes
   * red-reversed once fully reversed. Applied once per red invoice (the flag), whatever redeliveries do.
   */
  async applyRedReversal(
    manager: EntityManager,
    redKey: string,
    now: Date,
  ): Promise<{ originalKey: string; state: InvoiceState } | null> {
    const [red] = await returningRows<{ original_key: string | null; total_amount: string }>(
      manager,
      `UPDATE invoices SET reversal_applied = true, updated_at = $2
        WHERE invoice_key = $1 AND colour = 'red' AND NOT reversal_applied RETURNING original_key, total_amount`,
      [redKey, now],
    );
    if (!red?.original_key) return null;
    const [original] = await queryRows<InvoiceRow>(
      manager,
      'SELECT * FROM invoices WHERE invoice_key = $1 FOR UPDATE',
      [red.original_key],
    );
    if (!original) return null;
    const { reversedFen, fullyReversed } = stateAfterRedReversal(
      moneyFen(original.total_amount),
      moneyFen(original.red_reversed_amount),
      moneyFen(red.total_amount),
    );
    const state: InvoiceState =
      fullyReversed && original.state === 'issued' ? 'red_reversed' : original.state;
    const version = original.version + 1;
    await manager.query(
      'UPDATE invoices SET red_reversed_amount = $2, state = $3, version = $4, updated_at = $5 WHERE invoice_key = $1',
      [original.invoice_key, formatMoney(reversedFen), state, version, now],
    );
    await this.history(manager, original.invoice_key, version, state, `red-reversal:${redKey}`, null, now);
    return { originalKey: original.invoice_key, state };
  }

  async recordEvent(
    manager: EntityManager,
    event: LedgerEvent,
    status: EventStatus,
    reason: string | null,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO invoice_events (event_id, invoice_key, kind, status, reason, occurred_at, received_at, applied_at, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        event.invoiceKey,
        event.kind,
        status,
        reason,
        event.occurredAt,
        event.receivedAt,
        status === 'parked' ? null : now,
        JSON.stringify(event),
      ],
    );
  }

  /** Parked events of an invoice, oldest first, locked (they are applied in this transaction). */
  async takeParked(manager: EntityManager, invoiceKey: string): Promise<LedgerEvent[]> {
    const rows = await queryRows<{ payload: LedgerEvent }>(
      manager,
      `SELECT payload FROM invoice_events WHERE invoice_key = $1 AND status = 'parked' ORDER BY received_at, event_id FOR UPDATE`,
      [invoiceKey],
    );
    return rows.map((r) => ({
      ...r.payload,
      occurredAt: new Date(r.payload.occurredAt),
      receivedAt: new Date(r.payload.receivedAt),
    }));
  }

  async settleEvent(
    manager: EntityManager,
    eventId: string,
    status: EventStatus,
    reason: string | null,
    now: Date,
  ): Promise<void> {
    await manager.query(
      'UPDATE invoice_events SET status = $2, reason = $3, applied_at = $4 WHERE event_id = $1',
      [eventId, status, reason, now],
    );
  }

  private async history(
    manager: EntityManager,
    key: string,
    version: number,
    state: InvoiceState,
    cause: string,
    eventId: string | null,
    now: Date,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO invoice_history (invoice_key, version, state, cause, event_id, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [key, version, state, cause, eventId, now],
    );
  }
}

/** The key of the invoice a red invoice reverses (null when it names none or an impossible one). */
export function originalKeyOf(invoice: Invoice): string | null {
  return invoice.original ? tryInvoiceKey(invoice.original) : null;
}

function toLedger(row: InvoiceRow): LedgerInvoice {
  return {
    invoiceKey: row.invoice_key,
    taxNo: row.tax_no,
    colour: row.colour,
    state: row.state,
    originalKey: row.original_key,
    contentHash: row.content_hash,
    version: row.version,
  };
}

/** numeric(18,2) arrives as a string ("123.40"); pg never hands it over as a float. */
function moneyFen(value: string): bigint {
  return parseMoney(value);
}
