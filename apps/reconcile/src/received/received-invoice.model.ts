import { VERIFICATION_RESULTS, VerificationAttempt, VerificationResult } from '@lib/providers';
import type { Actor } from '@lib/platform';

/** How a check was asked for: a person's single check, a person's batch, or the scheduled re-check. */
export type CheckTrigger = 'request' | 'batch' | 'recheck';

/** A check's recorded result: what 查验 said, or why no channel answered. */
export type CheckResult = VerificationResult | 'UNAVAILABLE';

export const CHECK_RESULTS: readonly CheckResult[] = [...VERIFICATION_RESULTS.filter((r) => r !== 'QUOTA_EXHAUSTED'), 'UNAVAILABLE'];

/** An invoice a supplier issued to one of our taxpayers, as its receiving branch registered it. */
export interface ReceivedInvoice {
  id: string;
  taxNo: string;
  branchId: string;
  invoiceKey: string;
  type: string;
  code: string | null;
  number: string;
  issuedAt: string;
  period: string;
  sellerTaxNo: string;
  sellerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode: string | null;
  registeredAt: string;
  registeredBy: Actor;
  lastResult: CheckResult | null;
  lastChannel: string | null;
  lastCheckedAt: string | null;
  nextCheckAt: string;
}

export interface ReceivedCheck {
  id: string;
  receivedInvoiceId: string;
  checkedAt: string;
  trigger: CheckTrigger;
  result: CheckResult;
  /** The service that answered (`authority`, `baiwang`); null when none did. */
  channel: string | null;
  returnCode: string | null;
  returnMessage: string | null;
  /** The authority's status of the invoice when it was found (NORMAL, VOIDED, RED_REVERSED). */
  authorityStatus: string | null;
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
