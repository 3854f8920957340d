import { SyncResult, TOPICS, TopicEnvelope } from '@lib/contracts';

export interface RecordSyncResultCommand {
  eventId: string;
  result: SyncResult;
}

/** A sync.results.v1 envelope (checked by the transport's contract decoder) as a command. */
export function toRecordSyncResultCommand(
  envelope: TopicEnvelope<typeof TOPICS.syncResults>,
): RecordSyncResultCommand {
  return { eventId: envelope.id, result: envelope.data };
}
