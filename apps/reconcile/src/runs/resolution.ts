import { FINDING_TYPES, FindingType } from '@lib/contracts';
import { PullCoverage, supportedFindingTypes } from '../pull/pull-coverage';

/** Types that need the authority's side to be judged "gone"; after an incomplete pull only device findings may resolve. */
const AUTHORITY_TYPES: readonly FindingType[] = [
  'MISSING_IN_AUTHORITY',
  'MISSING_IN_LEDGER',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DUPLICATE_INVOICE',
  'REPORT_TOTALS_MISMATCH',
  'CONTENT_MISMATCH',
];
/** A scope whose runs keep ending incomplete: only a complete run (a listed pull) proves it gone. */
const COMPLETE_ONLY: readonly FindingType[] = ['RECONCILIATION_INCOMPLETE'];
/**
 * Types no run raises (a received invoice's 查验 does, apps/reconcile/src/received): a run saying nothing about them is no
 * proof they are gone, so no run resolves them; the next check of that invoice does.
 */
const NOT_BY_RUNS: readonly FindingType[] = ['RECEIVED_INVOICE_INVALID', 'RECEIVED_INVOICE_VOIDED'];
/** Types that describe a device now: judged (and resolved) only in runs of the current period. */
const CURRENT_ONLY: readonly FindingType[] = ['DEVICE_LOCK_IMMINENT', 'OFFLINE_LIMIT_NEAR'];

export interface Resolution {
  /** Types whose active findings the run resolves when it no longer sees their problem. */
  resolvableTypes: FindingType[];
  /**
   * Of those, the types that may resolve only for the subjects the run actually evaluated (the compare
   * phase's `cmp_checked`): a per-invoice pull's checked invoices. Empty when the merge cannot honour it.
   */
  checkedSubjectTypes: FindingType[];
}

/**
 * What a run may auto-resolve, by what its pull proved. `listed`: everything it evaluated (RECONCILIATION_INCOMPLETE
 * included: the run is the complete one it waited for). No coverage (the pull did not finish): device findings only. `per-invoice`: device findings, and the types such a pull
 * supports (MISSING_IN_AUTHORITY, AMOUNT_MISMATCH, STATUS_MISMATCH, CONTENT_MISMATCH) for the invoices it checked only, which
 * needs the merge to limit them to `cmp_checked` (`mergeLimitsToChecked`); until it does, none of them (an
 * unchecked invoice proves nothing, and resolving every finding of the type would resolve those too).
 * MISSING_IN_LEDGER, DUPLICATE_INVOICE and the 抄报 totals never resolve on a per-invoice run.
 */
export function resolutionFor(coverage: PullCoverage | null, currentPeriod: boolean, mergeLimitsToChecked: boolean): Resolution {
  const now = (t: FindingType) => !NOT_BY_RUNS.includes(t) && (currentPeriod || !CURRENT_ONLY.includes(t));
  if (coverage === 'listed') return { resolvableTypes: FINDING_TYPES.filter(now), checkedSubjectTypes: [] };
  const base = FINDING_TYPES.filter((t) => !AUTHORITY_TYPES.includes(t) && !COMPLETE_ONLY.includes(t) && now(t));
  if (coverage !== 'per-invoice' || !mergeLimitsToChecked) return { resolvableTypes: base, checkedSubjectTypes: [] };
  const checked = FINDING_TYPES.filter((t) => supportedFindingTypes('per-invoice').includes(t));
  return { resolvableTypes: [...base, ...checked], checkedSubjectTypes: checked };
}
