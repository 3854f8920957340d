import type { CheckResult, CheckTrigger, ReceivedCheckView, ReceivedInvoiceView } from '@lib/contracts';
import { VerificationAttempt, VerificationResult } from '@lib/providers';
import type { Actor } from '@lib/platform';

export { CHECK_RESULTS, type CheckResult, type CheckTrigger } from '@lib/contracts';

/**
 * The contract's results are 查验's, less a used-up quota (a check the quota refuses is not recorded), plus
 * UNAVAILABLE: this fails to compile when 查验 gains or loses a result the contract does not follow.
 */
type ResultsFromVerification = Exclude<VerificationResult, 'QUOTA_EXHAUSTED'> | 'UNAVAILABLE';
export const RESULTS_FOLLOW_VERIFICATION: [CheckResult] extends [ResultsFromVerification]
  ? [ResultsFromVerification] extends [CheckResult]
    ? true
    : never
  : never = true;

/** An invoice a supplier issued to one of our taxpayers, as its receiving branch registered it (the API's view). */
export interface ReceivedInvoice extends ReceivedInvoiceView {
  registeredBy: Actor;
}

/** One recorded check, with each channel's attempt as the failover verifier reported it. */
export interface ReceivedCheck extends ReceivedCheckView {
  attempts: VerificationAttempt[];
  requestedBy: Actor;
}

const iso = (v: unknown): string => new Date(v as string).toISOString();
const isoOrNull = (v: unknown): string | null => (v ? iso(v) : null);
const actor = (kind: unknown, subject: unknown, name: unknown): Actor => ({
  kind: kind as Actor['kind'],
  subject: String(subject),
  name: String(name),
});

export function toReceivedInvoice(r: Record<string, unknown>): ReceivedInvoice {
  return {
    id: String(r.id),
    taxNo: String(r.tax_no),
    branchId: String(r.branch_id),
    invoiceKey: String(r.invoice_key),
    type: String(r.invoice_type),
    code: (r.invoice_code as string | null) ?? null,
    number: String(r.invoice_number),
    issuedAt: iso(r.issued_at),
    period: String(r.period),
    sellerTaxNo: String(r.seller_tax_no),
    sellerName: String(r.seller_name),
    amount: String(r.amount),
    taxAmount: String(r.tax_amount),
    totalAmount: String(r.total_amount),
    checkCode: (r.check_code as string | null) ?? null,
    registeredAt: iso(r.registered_at),
    registeredBy: actor(r.registered_by_kind, r.registered_by, r.registered_by_name),
    lastResult: (r.last_result as CheckResult | null) ?? null,
    lastChannel: (r.last_channel as string | null) ?? null,
    lastCheckedAt: isoOrNull(r.last_checked_at),
    nextCheckAt: iso(r.next_check_at),
  };
}

export function toReceivedCheck(r: Record<string, unknown>): ReceivedCheck {
  return {
    id: String(r.id),
    receivedInvoiceId: String(r.received_invoice_id),
    checkedAt: iso(r.checked_at),
    trigger: r.trigger as CheckTrigger,
    result: r.result as CheckResult,
    channel: (r.channel as string | null) ?? null,
    returnCode: (r.return_code as string | null) ?? null,
    returnMessage: (r.return_message as string | null) ?? null,
    authorityStatus: (r.authority_status as string | null) ?? null,
    attempts: (r.attempts as VerificationAttempt[]) ?? [],
    requestedBy: actor(r.requested_by_kind, r.requested_by, r.requested_by_name),
  };
}
