import { FindingState, FindingType } from '../events/finding-events.schema';

/** The languages a finding is explained in: Simplified Chinese first (the default), English for those who read it. */
export const EXPLAIN_LOCALES = ['zh-CN', 'en'] as const;
export type ExplainLocale = (typeof EXPLAIN_LOCALES)[number];
export const DEFAULT_EXPLAIN_LOCALE: ExplainLocale = 'zh-CN';

/**
 * How a finance clerk knows a device: its registered name, its branch and its 机器编号 (the authority's device
 * number). The internal id is shown only when nothing else is known.
 */
export interface DeviceLabel {
  id: string;
  name?: string | null;
  deviceNo?: string | null;
  branchId?: string | null;
  /** A branch name, when the reader's side knows one (shown instead of the branch id). */
  branchName?: string | null;
}

/** What the sentence is made of: the finding's type, state and evidence (reconcile's facts), and the names known. */
export interface ExplainInput {
  type: FindingType;
  /** Says what was done: `escalated` re-uploads gave up, `remediating` a correction is under way. Default `open`. */
  state?: FindingState;
  evidence: Record<string, unknown>;
  /** The finding's own fields, used when the evidence does not repeat them. */
  invoice?: { type: string; code: string | null; number: string } | null;
  deviceId?: string | null;
  branchId?: string | null;
  period?: string | null;
  /** Names the caller knows about the device (they win over the evidence's `deviceName`, `deviceNo`, `branchId`). */
  device?: Partial<DeviceLabel> | null;
  /** Dates in the current year are written without it. */
  now: Date;
}

/** The facts one sentence reads, resolved once. */
export interface ExplainContext {
  input: ExplainInput;
  evidence: Record<string, unknown>;
  locale: ExplainLocale;
  now: Date;
}

/**
 * Why a scope's runs ended incomplete (RECONCILIATION_INCOMPLETE's `evidence.causes`), as reconcile classifies the runs'
 * reasons: the authority (or every listing channel) unavailable, a call quota or rate limit spent, records the authority
 * sent that could not be read, no channel configured, or anything else (the reasons' own words are in the evidence).
 */
export const INCOMPLETE_CAUSES = [
  'AUTHORITY_UNAVAILABLE',
  'QUOTA_SPENT',
  'RECORDS_INVALID',
  'NO_CHANNEL',
  'OTHER',
] as const;
export type IncompleteCause = (typeof INCOMPLETE_CAUSES)[number];
