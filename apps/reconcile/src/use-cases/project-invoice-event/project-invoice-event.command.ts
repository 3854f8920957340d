import { TOPICS } from '@lib/contracts';
import { tryInvoiceKey } from '@lib/domain';
import { decodeEnvelope } from '../../messaging/envelope';
import { contentHash, LedgerEventRecord, money, periodOfInvoice } from '../../projections/ledger.model';

/** invoice.events.v1 → the record the ledger projection applies. */
export function toLedgerEventRecord(raw: unknown): LedgerEventRecord {
  const envelope = decodeEnvelope(TOPICS.invoiceEvents, raw);
  const { data } = envelope;
  const invoice = data.invoice;
  const kind = envelope.type === 'invoice.issued' ? 'issued' : envelope.type === 'invoice.red-issued' ? 'red-issued' : 'voided';
  const original = invoice.original ? tryInvoiceKey(invoice.original) : null;
  return {
    eventId: envelope.id,
    kind,
    invoiceKey: data.invoiceKey,
    originalKey: kind === 'red-issued' ? original : null,
    taxNo: data.taxNo,
    branchId: data.branchId,
    deviceId: data.deviceId,
    period: periodOfInvoice(invoice),
    invoiceType: invoice.type,
    code: invoice.code,
    number: invoice.number,
    buyerTaxNo: invoice.buyerTaxNo ?? null,
    buyerName: invoice.buyerName ?? null,
    lineCount: invoice.lines.length,
    colour: kind === 'red-issued' ? 'red' : 'blue',
    amount: money(invoice.amount),
    taxAmount: money(invoice.taxAmount),
    totalAmount: money(invoice.totalAmount),
    issuedAt: new Date(invoice.issuedAt),
    occurredAt: new Date(envelope.occurredAt),
    receivedAt: new Date(data.receivedAt),
    contentHash: contentHash(invoice),
  };
}
