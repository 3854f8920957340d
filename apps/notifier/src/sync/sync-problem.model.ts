import { createHash } from 'node:crypto';
import { FindingSeverity, SyncOutcome, SyncResult } from '@lib/contracts';
import { NotifierAlertType } from '../routing/alert-types';

/** The outcomes a person must act on: sync gave up after its retries, or the target refused for good. */
export type SyncProblemOutcome = 'dead' | 'rejected';

/** A dead or rejected delivery, as the notifier keeps it; resolved when the same invoice later reaches the target. */
export interface SyncProblem {
  problemId: string;
  result: SyncResult & { outcome: SyncProblemOutcome };
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export function isSyncProblem(outcome: SyncOutcome): outcome is SyncProblemOutcome {
  return outcome === 'dead' || outcome === 'rejected';
}

/** The invoice reached the target (directly or relayed through a platform): earlier problems are over. */
export function isSyncSuccess(outcome: SyncOutcome): boolean {
  return outcome === 'accepted' || outcome === 'relayed';
}

/**
 * One problem per (invoice, target, outcome, requestId): a redelivered or republished result maps to the same
 * id, a new attempt (new requestId) that dies again is a new problem. Short enough for the delivery log filter.
 */
export function problemIdOf(
  result: Pick<SyncResult, 'invoiceKey' | 'target' | 'outcome' | 'requestId'>,
): string {
  const identity = [result.invoiceKey, result.target, result.outcome, result.requestId].join('\n');
  return `sync-${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

export const syncAlertType = (outcome: SyncProblemOutcome): NotifierAlertType =>
  outcome === 'dead' ? 'SYNC_DEAD' : 'SYNC_REJECTED';

/** A dead delivery means the authority may never get the invoice: critical. A refusal needs a correction: warning. */
export const syncSeverity = (outcome: SyncProblemOutcome): FindingSeverity =>
  outcome === 'dead' ? 'critical' : 'warning';
