import { TOPICS, TopicEnvelope } from '@lib/contracts';
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

/** A sync.commands.v1 envelope (checked by the transport's contract decoder) as a re-open. */
export function toReopenCommand(envelope: TopicEnvelope<typeof TOPICS.syncCommands>): ReopenDeliveryCommand {
  const { data } = envelope;
  return {
    invoiceKey: data.invoiceKey,
    target: data.target,
    reason: data.reason,
    requestedBy: data.requestedBy,
    attempt: data.attempt,
  };
}
