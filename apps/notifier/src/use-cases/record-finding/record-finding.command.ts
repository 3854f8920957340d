import { FindingChanged, TOPICS, TopicEnvelope } from '@lib/contracts';

export interface RecordFindingCommand {
  eventId: string;
  finding: FindingChanged;
}

/** A reconcile.findings.v1 envelope (checked by the transport's contract decoder) as a command. */
export function toRecordFindingCommand(
  envelope: TopicEnvelope<typeof TOPICS.reconcileFindings>,
): RecordFindingCommand {
  return { eventId: envelope.id, finding: envelope.data };
}
