import { Invoice, InvoiceEventKind } from '@lib/domain';

export type InvoiceState = 'issued' | 'red_reversed' | 'voided';
export type InvoiceColour = 'blue' | 'red';

/** What the rules need to know about an invoice already in the ledger. */
export interface LedgerInvoice {
  invoiceKey: string;
  taxNo: string;
  colour: InvoiceColour;
  state: InvoiceState;
  originalKey: string | null;
  contentHash: string;
  version: number;
}

/** One event from invoice.events.v1, validated. */
export interface LedgerEvent {
  eventId: string;
  kind: InvoiceEventKind;
  invoiceKey: string;
  taxNo: string;
  branchId: string;
  deviceId: string;
  invoice: Invoice;
  occurredAt: Date;
  receivedAt: Date;
}
