import { AppError } from '@lib/common';
import { MAINTENANCE_EVENT_TYPES, MaintenanceChanged } from '@lib/contracts';

export interface RecordMaintenanceCommand {
  eventId: string;
  window: MaintenanceChanged;
}

/** The consumer's envelope (already validated by the contract decoder) as a command. */
export function toRecordMaintenanceCommand(envelope: unknown): RecordMaintenanceCommand {
  const e = envelope as { id?: unknown; type?: unknown; data?: unknown };
  if (typeof e?.id !== 'string' || e.type !== MAINTENANCE_EVENT_TYPES.changed || typeof e.data !== 'object' || e.data === null) {
    throw new AppError('UNEXPECTED_EVENT', 'validation', 'expected a maintenance.changed envelope');
  }
  return { eventId: e.id, window: e.data as MaintenanceChanged };
}
