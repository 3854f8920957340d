import { LedgerEvent, LedgerInvoice } from './ledger.model';

/**
 * What applying an event to the ledger does. Pure: the use case reads the current invoice, asks here,
 * and writes what the decision says.
 * - create: a new invoice (blue for `issued`, red for `red-issued`; a red invoice is its own invoice
 *   that references its original);
 * - void: the invoice becomes voided;
 * - park: a void for an invoice we have not seen yet waits until its issue arrives (events of one
 *   invoice share a partition, but a device may send the void first, or a replay may reorder them);
 * - ignore: recorded in the event log with a reason, changes nothing, delivers nothing.
 */
export type LedgerDecision =
  | { action: 'create'; colour: 'blue' | 'red' }
  | { action: 'void' }
  | { action: 'park' }
  | { action: 'ignore'; reason: LedgerIgnoreReason };

export type LedgerIgnoreReason =
  | 'DUPLICATE_ISSUE' // the same invoice again under another event id
  | 'CONFLICTING_ISSUE' // another invoice with the same key: kept for an operator, never delivered
  | 'ALREADY_VOIDED'
  | 'VOID_AFTER_RED_REVERSAL' // a red-reversed invoice can no longer be voided
  | 'TAXPAYER_MISMATCH'; // a void from another taxpayer than the one who issued the invoice

export function decideLedgerChange(
  existing: LedgerInvoice | undefined,
  event: Pick<LedgerEvent, 'kind' | 'taxNo'>,
  contentHash: string,
): LedgerDecision {
  if (event.kind === 'voided') {
    if (!existing) return { action: 'park' };
    if (existing.taxNo !== event.taxNo) return { action: 'ignore', reason: 'TAXPAYER_MISMATCH' };
    if (existing.state === 'voided') return { action: 'ignore', reason: 'ALREADY_VOIDED' };
    if (existing.state === 'red_reversed') return { action: 'ignore', reason: 'VOID_AFTER_RED_REVERSAL' };
    return { action: 'void' };
  }
  const colour = event.kind === 'red-issued' ? 'red' : 'blue';
  if (!existing) return { action: 'create', colour };
  if (existing.contentHash === contentHash && existing.colour === colour) return { action: 'ignore', reason: 'DUPLICATE_ISSUE' };
  return { action: 'ignore', reason: 'CONFLICTING_ISSUE' };
}

/**
 * The original's state after one of its red invoices reached the authority: red-reversed once the
 * reds add up to its whole total (a partial reversal keeps it issued, with the reversed amount).
 * Amounts in fen.
 */
export function stateAfterRedReversal(
  originalTotalFen: bigint,
  alreadyReversedFen: bigint,
  redTotalFen: bigint,
): { reversedFen: bigint; fullyReversed: boolean } {
  const reversedFen = alreadyReversedFen + (redTotalFen < 0n ? -redTotalFen : redTotalFen);
  return { reversedFen, fullyReversed: reversedFen >= originalTotalFen };
}
