import { FindingType } from '../events/finding-events.schema';
import { DEFAULT_EXPLAIN_LOCALE, ExplainContext, ExplainInput, ExplainLocale } from './explain.model';
import { clearCardFailed, clearCardOverdue, lockImminent, offlineNear, reportTotals } from './explain-device';
import {
  amountMismatch,
  duplicateInvoice,
  missingInAuthority,
  missingInLedger,
  statusMismatch,
} from './explain-invoice';

/** One renderer per finding type: the same facts, in either language. */
export const FINDING_EXPLAINERS: Readonly<Record<FindingType, (c: ExplainContext) => string>> = {
  MISSING_IN_AUTHORITY: missingInAuthority,
  MISSING_IN_LEDGER: missingInLedger,
  AMOUNT_MISMATCH: amountMismatch,
  STATUS_MISMATCH: statusMismatch,
  DUPLICATE_INVOICE: duplicateInvoice,
  CLEAR_CARD_OVERDUE: clearCardOverdue,
  CLEAR_CARD_FAILED: clearCardFailed,
  DEVICE_LOCK_IMMINENT: lockImminent,
  OFFLINE_LIMIT_NEAR: offlineNear,
  REPORT_TOTALS_MISMATCH: reportTotals,
};

/**
 * A finding's one-sentence explanation, rendered from its evidence (reconcile's facts) in the reader's language:
 * invoice types by name, amounts as money, periods as months, devices by name, branch and 机器编号 (the id only when
 * nothing else is known). Pure: the same input gives the same sentence.
 */
export function explainFinding(input: ExplainInput, locale: ExplainLocale = DEFAULT_EXPLAIN_LOCALE): string {
  return FINDING_EXPLAINERS[input.type]({ input, evidence: input.evidence ?? {}, locale, now: input.now });
}
