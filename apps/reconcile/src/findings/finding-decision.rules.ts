import { buyerCannotDeduct, explainFinding, FindingSeverity, FindingState } from '@lib/contracts';
import { daysUntil, isInvoiceKey, isLocalDate, parseInvoiceKey } from '@lib/domain';
import { DecisionContext, Discrepancy, FindingDecision, FindingRow } from './finding.model';

/**
 * The finding's stored sentence: the shared renderer's (the notifier and the console render the same facts in their
 * reader's language), in Simplified Chinese, the product's default language, for readers whose language nobody
 * knows (the API, the finding events). `state` is what the run decided (it says what was done), `attempts` the
 * re-uploads so far, which the finding's evidence carries too (findings-merge.service.ts, decisionEvidence).
 */
function sentence(d: Discrepancy, state: FindingState, ctx: DecisionContext, attempts = 0): string {
  const evidence = attempts ? { ...d.facts, reuploadAttempts: attempts, maxReuploads: ctx.maxReuploads } : d.facts;
  const key = d.invoiceKey && isInvoiceKey(d.invoiceKey) ? parseInvoiceKey(d.invoiceKey) : null;
  const type = typeof d.facts.invoiceType === 'string' ? d.facts.invoiceType : '';
  return explainFinding(
    { type: d.type, state, evidence, invoice: key && { type, ...key }, deviceId: d.deviceId, now: ctx.now },
    'zh-CN',
  );
}

/**
 * What a run does with one discrepancy, given the finding it already has (or null). Pure: the run
 * applies the decision (state, explanation, remediation) in its transaction.
 */
export function decide(d: Discrepancy, existing: FindingRow | null, ctx: DecisionContext): FindingDecision {
  const attempts = existing?.remediationAttempts ?? 0;
  const keep = (state: FindingState, severity: FindingSeverity, explanation: string, remediation: FindingDecision['remediation'] = 'none') => ({
    state: existing?.state === 'ignored' ? 'ignored' : state,
    severity,
    explanation,
    remediation: existing?.state === 'ignored' ? 'none' : remediation,
    remediationAttempts: attempts,
    remediated: false,
  });
  const f = d.facts;
  const firstTime = !existing || existing.state === 'resolved';
  switch (d.type) {
    case 'MISSING_IN_AUTHORITY':
      return missingInAuthority(d, existing, ctx);
    case 'MISSING_IN_LEDGER':
      return keep('open', 'critical', sentence(d, 'open', ctx), firstTime ? 'backfill' : 'none');
    case 'AMOUNT_MISMATCH':
    case 'STATUS_MISMATCH': {
      if (d.type === 'AMOUNT_MISMATCH' && f.checkOutcome === 'differs') return authorityCopyDiffers(d, existing, ctx);
      // An escalated correction keeps the sentence that says why (e.g. its red-letter form expired), and one under way the
      // sentence the correction tracker last wrote (where its red-letter form stands). One left open by a 查验 03 (no
      // numbers, nothing to correct then) starts its correction once the authority's record is read.
      const starts = firstTime || existing?.state === 'open';
      const kept = existing?.state === 'escalated' || (!starts && existing?.state === 'remediating');
      // reconcile has both sides' numbers here, so the sentence says the correction was requested (state remediating)
      const said = kept ? existing!.explanation : sentence(d, 'remediating', ctx);
      return keep(starts ? 'remediating' : (existing?.state ?? 'remediating'), 'critical', said, starts ? 'correction' : 'none');
    }
    case 'DUPLICATE_INVOICE':
      return keep(existing?.state === 'escalated' ? 'escalated' : 'open', 'warning', sentence(d, 'open', ctx));
    case 'CONTENT_MISMATCH':
      // Nothing to correct automatically (which side is right is a person's call, and a red-letter correction of a date,
      // buyer or type means re-issuing): open for a person. Critical when the buyer of a special invoice cannot deduct.
      return keep(
        existing?.state === 'escalated' ? 'escalated' : 'open',
        buyerCannotDeduct(f) ? 'critical' : 'warning',
        sentence(d, 'open', ctx),
      );
    case 'CLEAR_CARD_OVERDUE':
      return keep('open', 'critical', sentence(d, 'open', ctx));
    case 'CLEAR_CARD_FAILED':
    case 'OFFLINE_LIMIT_NEAR':
    case 'REPORT_TOTALS_MISMATCH':
      return keep('open', 'warning', sentence(d, 'open', ctx));
    case 'DEVICE_LOCK_IMMINENT':
      return keep('open', Number(f.daysLeft) <= 1 ? 'critical' : 'warning', sentence(d, 'open', ctx));
    case 'REPORT_MISSING':
      return keep('open', 'warning', sentence(d, 'open', ctx));
    case 'CLEAR_CARD_MISSING':
    case 'DEVICE_SILENT':
      return keep('open', lastDay(f, ctx.now) ? 'critical' : 'warning', sentence(d, 'open', ctx));
    case 'RECONCILIATION_INCOMPLETE':
      return keep('open', 'critical', sentence(d, 'open', ctx));
    case 'RECEIVED_INVOICE_INVALID':
    case 'RECEIVED_INVOICE_VOIDED':
      // Raised by 查验 of received invoices (received/received-findings.repository.ts), never by a run's comparison.
      return keep(existing?.state === 'escalated' ? 'escalated' : 'open', 'critical', sentence(d, 'open', ctx));
  }
}

const DAY_MS = 86_400_000;

/**
 * Whether a quiet device's finding is urgent, as DEVICE_LOCK_IMMINENT is (one day or less): the filing deadline is today
 * or tomorrow (or passed), or, for a stale reading, the device may lock within a day.
 */
function lastDay(f: Discrepancy['facts'], now: Date): boolean {
  if (f.kind === 'stale-reading') {
    const lock = new Date(String(f.mayLockAt)).getTime();
    return !Number.isNaN(lock) && lock - now.getTime() <= DAY_MS;
  }
  return isLocalDate(f.deadline) && daysUntil(f.deadline, now) <= 1;
}

/**
 * 查验 03 (per-invoice pull): the authority's copy differs and its numbers are unknown, so a red-letter form would not
 * know what to reverse: the finding stays open for a person to check the authority's copy, and no correction is
 * requested. A correction already under way (the record was read with other numbers before) stays so; an escalated
 * one keeps its state and sentence.
 */
function authorityCopyDiffers(d: Discrepancy, existing: FindingRow | null, ctx: DecisionContext): FindingDecision {
  const base = { severity: 'critical' as const, remediation: 'none' as const, remediationAttempts: existing?.remediationAttempts ?? 0, remediated: false };
  if (existing?.state === 'escalated') return { ...base, state: 'escalated', explanation: existing.explanation };
  const underWay = existing?.state === 'remediating';
  const state = existing?.state === 'ignored' ? 'ignored' : underWay ? 'remediating' : 'open';
  return { ...base, state, explanation: sentence(d, underWay ? 'remediating' : 'open', ctx) };
}

/**
 * Not visible (or not deliverable) at the authority: re-upload, at most once per visibility lag (the
 * re-upload itself needs that long to show), and escalate after the configured number of attempts.
 */
function missingInAuthority(d: Discrepancy, existing: FindingRow | null, ctx: DecisionContext): FindingDecision {
  const cause = String(d.facts.cause);
  const attempts = existing?.remediationAttempts ?? 0;
  const ignored = existing?.state === 'ignored';
  const base = { remediationAttempts: attempts, remediated: false };
  if (cause === 'NOT_DELIVERED') {
    return { ...base, state: ignored ? 'ignored' : 'open', severity: 'warning', remediation: 'none', explanation: sentence(d, 'open', ctx, attempts) };
  }
  if (cause === 'DELIVERY_REJECTED') {
    return { ...base, state: ignored ? 'ignored' : 'escalated', severity: 'critical', remediation: 'none', explanation: sentence(d, 'escalated', ctx, attempts) };
  }
  if (ignored) {
    return { ...base, state: 'ignored', severity: 'critical', remediation: 'none', explanation: existing.explanation };
  }
  const waited = !existing?.lastRemediatedAt || ctx.now.getTime() - existing.lastRemediatedAt.getTime() >= ctx.visibilityLagMs;
  if (attempts >= ctx.maxReuploads) {
    return { ...base, state: 'escalated', severity: 'critical', remediation: 'none', explanation: sentence(d, 'escalated', ctx, attempts) };
  }
  if (!waited) {
    return { ...base, state: 'remediating', severity: 'critical', remediation: 'none', explanation: existing?.explanation ?? '' };
  }
  const attempt = attempts + 1;
  return {
    state: 'remediating',
    severity: 'critical',
    remediation: 'reupload',
    remediationAttempts: attempt,
    remediated: true,
    explanation: sentence(d, 'remediating', ctx, attempt),
  };
}
