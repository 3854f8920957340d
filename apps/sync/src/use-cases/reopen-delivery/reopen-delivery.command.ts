import { AppError } from '@lib/common';
import { parseEnvelope, TOPICS } from '@lib/contracts';
import { TargetName } from '@lib/providers';

/** Re-upload (补传) of one invoice to one target, asked by reconcile (sync.commands.v1) or an operator. */
export interface ReopenDeliveryCommand {
  invoiceKey: string;
  target: TargetName;
  reason: string;
  requestedBy: string;
  /**
   * The requester's attempt number for this invoice and target: a command whose number is not above
   * the last one applied is a repeat and changes nothing (idempotent beyond the inbox's event ids).
   * Undefined (an operator's retry) always re-opens.
   */
  attempt?: number;
}

export function toReopenCommand(raw: unknown): ReopenDeliveryCommand {
  const parsed = parseEnvelope(TOPICS.syncCommands, raw);
  if (!parsed.ok) {
    throw new AppError(parsed.error.code, 'validation', parsed.error.message, {
      details: parsed.error.details.map((d) => ({ code: d.code, field: d.field, message: d.message })),
    });
  }
  const { data } = parsed.envelope;
  return { invoiceKey: data.invoiceKey, target: data.target, reason: data.reason, requestedBy: data.requestedBy, attempt: data.attempt };
}
