import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { LedgerEvent } from '../../ledger/ledger.model';

const KINDS = {
  'invoice.issued': 'issued',
  'invoice.red-issued': 'red-issued',
  'invoice.voided': 'voided',
} as const;

/** An invoice.events.v1 envelope (checked by the transport's contract decoder) as the event the ledger applies. */
export function toLedgerEvent(envelope: TopicEnvelope<typeof TOPICS.invoiceEvents>): LedgerEvent {
  const { data } = envelope;
  return {
    eventId: envelope.id,
    kind: KINDS[envelope.type],
    invoiceKey: data.invoiceKey,
    taxNo: data.taxNo,
    branchId: data.branchId,
    deviceId: data.deviceId,
    invoice: data.invoice,
    occurredAt: new Date(envelope.occurredAt),
    receivedAt: new Date(data.receivedAt),
  };
}
