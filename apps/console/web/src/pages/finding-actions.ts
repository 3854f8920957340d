import type { Finding } from '../api/types';

export type FindingActionName = 'retry' | 'resolve' | 'ignore';

/**
 * What a finding's state allows (apps/reconcile act-on-finding): nothing acts on an ignored finding; resolve needs one
 * that is not already resolved; ignore works otherwise. Retry is refused by the service only on ignored findings, but
 * retrying a resolved one does nothing useful, so the console offers it on open, remediating and escalated ones.
 */
export function actionAllowed(action: FindingActionName, finding: Pick<Finding, 'state'>): boolean {
  switch (action) {
    case 'retry':
      return finding.state !== 'ignored' && finding.state !== 'resolved';
    case 'resolve':
      return finding.state !== 'ignored' && finding.state !== 'resolved';
    case 'ignore':
      return finding.state !== 'ignored';
  }
}
