import { FindingType } from '../events/finding-events.schema';
import {
  DEFAULT_EXPLAIN_LOCALE,
  DeviceLabel,
  ExplainContext,
  ExplainInput,
  ExplainLocale,
} from './explain.model';
import { deviceOf, deviceRef, invoiceRef } from './explain-format';
import { clearCardFailed, clearCardOverdue, lockImminent, offlineNear, reportTotals } from './explain-device';
import { clearCardMissing, deviceSilent, reconciliationIncomplete, reportMissing } from './explain-quiet';
import { receivedInvalid, receivedVoided } from './explain-received';
import {
  amountMismatch,
  contentMismatch,
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
  REPORT_MISSING: reportMissing,
  CLEAR_CARD_MISSING: clearCardMissing,
  DEVICE_SILENT: deviceSilent,
  RECONCILIATION_INCOMPLETE: reconciliationIncomplete,
  CONTENT_MISMATCH: contentMismatch,
  RECEIVED_INVOICE_INVALID: receivedInvalid,
  RECEIVED_INVOICE_VOIDED: receivedVoided,
};

/**
 * A finding's one-sentence explanation, rendered from its evidence (reconcile's facts) in the reader's language:
 * invoice types by name, amounts as money, periods as months, devices by name, branch and 机器编号 (the id only when
 * nothing else is known). Pure: the same input gives the same sentence.
 */
export function explainFinding(input: ExplainInput, locale: ExplainLocale = DEFAULT_EXPLAIN_LOCALE): string {
  return FINDING_EXPLAINERS[input.type](contextOf(input, locale));
}

const contextOf = (input: ExplainInput, locale: ExplainLocale): ExplainContext => ({
  input,
  evidence: input.evidence ?? {},
  locale,
  now: input.now,
});

/** The device a finding concerns, as far as its evidence and the caller know it; null when it concerns none. */
export function findingDevice(input: ExplainInput): DeviceLabel | null {
  const device = deviceOf(contextOf(input, DEFAULT_EXPLAIN_LOCALE));
  return device.id === '?' ? null : device;
}

/** The device phrase of the explanations (name, branch, 机器编号), for a detail row; null when no device. */
export function describeFindingDevice(
  input: ExplainInput,
  locale: ExplainLocale = DEFAULT_EXPLAIN_LOCALE,
): string | null {
  const device = findingDevice(input);
  return device ? deviceRef(device, locale) : null;
}

/** "增值税电子专用发票 044031900111-12345678": the invoice phrase of the explanations; null when no invoice. */
export function describeFindingInvoice(
  input: ExplainInput,
  locale: ExplainLocale = DEFAULT_EXPLAIN_LOCALE,
): string | null {
  const e = input.evidence ?? {};
  if (!input.invoice && e.number === undefined) return null;
  return invoiceRef(contextOf(input, locale));
}
