import { AppError } from '@lib/common';
import { SyncResult } from '@lib/contracts';

export interface RecordSyncResultCommand {
  eventId: string;
  result: SyncResult;
}

/** The consumer's envelope (already validated by the contract decoder) as a command. */
export function toRecordSyncResultCommand(envelope: unknown): RecordSyncResultCommand {
  const e = envelope as { id?: unknown; type?: unknown; data?: unknown };
  if (
    typeof e?.id !== 'string' ||
    e.type !== 'sync.result' ||
    typeof e.data !== 'object' ||
    e.data === null
  ) {
    throw new AppError('UNEXPECTED_EVENT', 'validation', 'expected a sync.result envelope');
  }
  return { eventId: e.id, result: e.data as SyncResult };
}
