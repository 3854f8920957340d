import { AppError } from '@lib/common';
import { parseEnvelope, TOPICS } from '@lib/contracts';
import { LedgerEvent } from '../../ledger/ledger.model';

/**
 * Validates a message of invoice.events.v1 with the contracts' schemas. A message that breaks the
 * contract can never be applied: a validation error, which the consumer sends to the DLQ.
 */
export function toLedgerEvent(raw: unknown): LedgerEvent {
  const parsed = parseEnvelope(TOPICS.invoiceEvents, raw);
  if (!parsed.ok) {
    throw new AppError(parsed.error.code, 'validation', parsed.error.message, {
      details: parsed.error.details.map((d) => ({ code: d.code, field: d.field, message: d.message })),
    });
  }
  const { envelope } = parsed;
  const kind = envelope.type === 'invoice.issued' ? 'issued' : envelope.type === 'invoice.red-issued' ? 'red-issued' : 'voided';
  return {
    eventId: envelope.id,
    kind,
    invoiceKey: envelope.data.invoiceKey,
    taxNo: envelope.data.taxNo,
    branchId: envelope.data.branchId,
    deviceId: envelope.data.deviceId,
    invoice: envelope.data.invoice,
    occurredAt: new Date(envelope.occurredAt),
    receivedAt: new Date(envelope.data.receivedAt),
  };
}
