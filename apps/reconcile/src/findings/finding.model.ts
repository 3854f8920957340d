import { FindingSeverity, FindingState, FindingType } from '@lib/contracts';
import type { Actor } from '@lib/platform';

/** Reconcile itself, as the actor of what its runs and its correction tracker do to findings. */
export const RECONCILE_ACTOR: Actor = { kind: 'service', subject: 'reconcile', name: 'reconcile' };

/** Facts a comparison recorded about one subject (JSON from run_discrepancies.facts). */
export type Facts = Record<string, unknown>;

export interface Discrepancy {
  type: FindingType;
  subject: string;
  invoiceKey: string | null;
  deviceId: string | null;
  facts: Facts;
}

/** The persisted finding, as the rules need it. */
export interface FindingRow {
  id: string;
  taxNo: string;
  period: string;
  type: FindingType;
  subject: string;
  state: FindingState;
  severity: FindingSeverity;
  branchId: string | null;
  deviceId: string | null;
  invoiceKey: string | null;
  invoiceType: string | null;
  invoiceCode: string | null;
  invoiceNumber: string | null;
  explanation: string;
  evidence: Facts;
  remediationAttempts: number;
  lastRemediatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type Remediation = 'reupload' | 'backfill' | 'correction' | 'none';

/** What a run decides about one discrepancy, given the finding it may already have. */
export interface FindingDecision {
  state: FindingState;
  severity: FindingSeverity;
  explanation: string;
  remediation: Remediation;
  remediationAttempts: number;
  remediated: boolean;
}

export interface DecisionContext {
  now: Date;
  visibilityLagMs: number;
  maxReuploads: number;
}

export const ACTIVE_STATES: readonly FindingState[] = ['open', 'remediating', 'escalated'];
