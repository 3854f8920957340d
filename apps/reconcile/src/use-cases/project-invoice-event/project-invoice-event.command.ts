import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { tryInvoiceKey } from '@lib/domain';
import { contentHash, LedgerEventRecord, money, periodOfInvoice } from '../../projections/ledger.model';

const KINDS = {
  'invoice.issued': 'issued',
  'invoice.red-issued': 'red-issued',
  'invoice.voided': 'voided',
} as const;

/** An invoice.events.v1 envelope (checked by the transport's contract decoder) as the record the ledger applies. */
export function toLedgerEventRecord(envelope: TopicEnvelope<typeof TOPICS.invoiceEvents>): LedgerEventRecord {
  const { data } = envelope;
  const invoice = data.invoice;
  const kind = KINDS[envelope.type];
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
