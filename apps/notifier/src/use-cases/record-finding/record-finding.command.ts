import { AppError } from '@lib/common';
import { FindingChanged } from '@lib/contracts';

export interface RecordFindingCommand {
  eventId: string;
  finding: FindingChanged;
}

/** The consumer's envelope (already validated by the contract decoder) as a command. */
export function toRecordFindingCommand(envelope: unknown): RecordFindingCommand {
  const e = envelope as { id?: unknown; type?: unknown; data?: unknown };
  if (
    typeof e?.id !== 'string' ||
    e.type !== 'reconcile.finding-changed' ||
    typeof e.data !== 'object' ||
    e.data === null
  ) {
    throw new AppError('UNEXPECTED_EVENT', 'validation', 'expected a reconcile.finding-changed envelope');
  }
  return { eventId: e.id, finding: e.data as FindingChanged };
}
