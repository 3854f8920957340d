/**
 * Received invoices (进项发票) as reconcile's API answers them (`GET /v1/received-invoices`, its checks, a registration
 * and a check now; docs/received-invoices.md, "API"). Reconcile builds these; the console reads them. Free of imports,
 * so that the console's bundle can take it as it is.
 */

/**
 * What a check may come to: a 查验 answer (`VALID` … `BAD_INPUT`), or `UNAVAILABLE` when no channel answered. A
 * used-up quota is not among them: a check the quota refuses sends nothing and is not recorded.
 */
export const CHECK_RESULTS = [
  'VALID',
  'VOIDED',
  'RED_REVERSED',
  'NOT_FOUND',
  'MISMATCH',
  'NOT_BUYER',
  'BAD_INPUT',
  'UNAVAILABLE',
] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** How a check was asked for: a person's single check, a person's batch, or the scheduled re-check. */
export const CHECK_TRIGGERS = ['request', 'batch', 'recheck'] as const;
export type CheckTrigger = (typeof CHECK_TRIGGERS)[number];

/** Who registered or checked: a signed-in person, or a service (the scheduled re-check). */
export interface ActorView {
  kind: 'person' | 'service';
  subject: string;
  name: string;
}

/** An invoice a supplier issued to one of our taxpayers, as its receiving branch registered it. */
export interface ReceivedInvoiceView {
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
  registeredBy: ActorView;
  lastResult: CheckResult | null;
  lastChannel: string | null;
  lastCheckedAt: string | null;
  nextCheckAt: string;
}

/** One channel's part in a check: its answer, or why it gave none. */
export interface CheckAttemptView {
  channel: string;
  outcome: 'answered' | 'quota' | 'unavailable' | 'failed' | 'bad_input';
  /** The failure's or the answer's code (QUOTA_EXHAUSTED, AUTHORITY_SERVICE_UNAVAILABLE, 02, …). */
  code: string;
  detail: string;
}

/** One recorded check of a received invoice. */
export interface ReceivedCheckView {
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
  attempts: CheckAttemptView[];
  requestedBy: ActorView;
}
