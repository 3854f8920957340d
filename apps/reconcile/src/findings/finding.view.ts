import type { Actor } from '@lib/platform';
import { FindingRow } from './finding.model';

export interface HistoryView {
  fromState: string | null;
  toState: string;
  action: string;
  /** Who: a person (IdP subject and name), a service account, or reconcile itself (kind service, subject reconcile). */
  actor: Actor;
  reason: string | null;
  runId: string | null;
  at: string;
}

/** A finding as the API shows it (PRODUCT.md). */
export function findingView(f: FindingRow, history: HistoryView[]) {
  return {
    id: f.id,
    type: f.type,
    state: f.state,
    severity: f.severity,
    taxNo: f.taxNo,
    branchId: f.branchId,
    period: f.period,
    invoice: f.invoiceNumber ? { type: f.invoiceType, code: f.invoiceCode, number: f.invoiceNumber } : null,
    deviceId: f.deviceId,
    explanation: f.explanation,
    evidence: f.evidence,
    remediationAttempts: f.remediationAttempts,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    history,
  };
}
