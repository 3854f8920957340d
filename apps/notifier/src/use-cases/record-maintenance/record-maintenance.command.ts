import { MaintenanceChanged, TOPICS, TopicEnvelope } from '@lib/contracts';

export interface RecordMaintenanceCommand {
  eventId: string;
  window: MaintenanceChanged;
}

/** A reconcile.maintenance.v1 envelope (checked by the transport's contract decoder) as a command. */
export function toRecordMaintenanceCommand(
  envelope: TopicEnvelope<typeof TOPICS.reconcileMaintenance>,
): RecordMaintenanceCommand {
  return { eventId: envelope.id, window: envelope.data };
}
