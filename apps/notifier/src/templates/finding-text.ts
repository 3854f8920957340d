import {
  describeFindingDevice,
  describeFindingInvoice,
  ExplainInput,
  explainFinding,
  FindingChanged,
  findingDevice,
} from '@lib/contracts';
import { Language } from '../routing/routing.model';

/** What an alert says about one finding, in the reader's language. */
export interface FindingText {
  explanation: string;
  /** 增值税电子专用发票 044031900111-12345678, or null. */
  invoice: string | null;
  /** 开票设备“前台1号盘”（分支机构 SZ01，机器编号 661234567890）, or null. */
  device: string | null;
  /** Short, for a subject or an SMS: the invoice's code-number, the device's name (its id when none is known). */
  subject: string;
}

const explainInputOf = (finding: FindingChanged, now: Date): ExplainInput => ({
  type: finding.type,
  state: finding.state,
  evidence: finding.evidence,
  invoice: finding.invoice,
  deviceId: finding.deviceId,
  branchId: finding.branchId,
  period: finding.period,
  now,
});

/**
 * The sentence is rendered from the evidence (reconcile's stored `explanation` is one language only); a finding
 * that carries no evidence (an older producer) keeps the sentence it came with.
 */
export function findingText(finding: FindingChanged, language: Language, now: Date): FindingText {
  const input = explainInputOf(finding, now);
  const hasEvidence = Object.keys(finding.evidence ?? {}).length > 0;
  const invoice = finding.invoice
    ? finding.invoice.code
      ? `${finding.invoice.code}-${finding.invoice.number}`
      : finding.invoice.number
    : null;
  const device = findingDevice(input);
  return {
    explanation: hasEvidence ? explainFinding(input, language) : finding.explanation,
    invoice: describeFindingInvoice(input, language),
    device: describeFindingDevice(input, language),
    subject: invoice ?? device?.name ?? device?.id ?? finding.findingId,
  };
}
