import { FieldError, InvoiceResult } from '@lib/contracts';
import { idempotencyConflict } from '../../ingest/ingest-errors';
import { ValidatedBatch } from '../../ingest/invoice-batch.validator';

/** What storing a first occurrence of an eventId came to. */
export type StoredOutcome =
  { status: 'accepted'; warnings: FieldError[] } | { status: 'duplicate' } | { status: 'conflict' };

/** One answer per item, in request order. */
export function answerBatch(batch: ValidatedBatch, outcomes: Map<string, StoredOutcome>): InvoiceResult[] {
  const results = [...batch.rejected];
  for (const first of batch.firsts) {
    const outcome = outcomes.get(first.id) ?? { status: 'conflict' };
    results[first.index] = resultOf(first.eventId, first.index, outcome);
  }
  for (const repeat of batch.repeats) {
    const firstOutcome = outcomes.get(repeat.first.id);
    // Same content as the first: whatever the first was, this one is not new. Other content: a conflict.
    const conflict = !repeat.sameContent || firstOutcome?.status === 'conflict';
    results[repeat.index] = resultOf(
      repeat.eventId,
      repeat.index,
      conflict ? { status: 'conflict' } : { status: 'duplicate' },
    );
  }
  return results as InvoiceResult[];
}

function resultOf(eventId: string, index: number, outcome: StoredOutcome): InvoiceResult {
  switch (outcome.status) {
    case 'accepted':
      return outcome.warnings.length > 0
        ? { eventId, status: 'accepted', errors: [], warnings: outcome.warnings }
        : { eventId, status: 'accepted', errors: [] };
    case 'duplicate':
      return { eventId, status: 'duplicate', errors: [] };
    case 'conflict':
      return { eventId, status: 'rejected', errors: [idempotencyConflict(`invoices[${index}].eventId`)] };
  }
}
