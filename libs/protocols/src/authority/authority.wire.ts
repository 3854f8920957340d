import type {
  WireInvoice,
  WireInvoiceLine,
  WireInvoiceStatus,
  WireInvoiceType,
  WireRedReason,
} from '../shared/invoice.wire';

/** Paths of the simulated authority's direct-connection API (all signed, see authority.signature.ts). */
export const AUTHORITY_PATHS = {
  upload: (taxNo: string) => `/v1/taxpayers/${taxNo}/invoices`,
  invoice: (taxNo: string, invoiceKey: string) => `/v1/taxpayers/${taxNo}/invoices/${invoiceKey}`,
  list: (taxNo: string) => `/v1/taxpayers/${taxNo}/invoices`,
  verify: (taxNo: string) => `/v1/taxpayers/${taxNo}/verifications`,
  redForms: (taxNo: string) => `/v1/taxpayers/${taxNo}/red-forms`,
  redForm: (taxNo: string, formId: string) => `/v1/taxpayers/${taxNo}/red-forms/${formId}`,
  redFormAction: (taxNo: string, formId: string) => `/v1/taxpayers/${taxNo}/red-forms/${formId}/actions`,
  clearCard: (taxNo: string, deviceNo: string) => `/v1/taxpayers/${taxNo}/devices/${deviceNo}/clear-card`,
} as const;

/**
 * Result codes. 0000 is success; 1xxx are authentication errors (HTTP 401/403); 2000 a malformed request
 * (HTTP 400); 21xx business rejections of an upload (HTTP 200); 3xxx lookups and red-letter forms (HTTP 200
 * or 404); 9xxx availability (HTTP 429/5xx).
 */
export const AUTHORITY_CODES = {
  OK: '0000',
  AUTH_MISSING_HEADERS: '1001',
  AUTH_UNKNOWN_APP: '1002',
  AUTH_CLOCK_SKEW: '1003',
  AUTH_NONCE_REPLAY: '1004',
  AUTH_BAD_SIGNATURE: '1005',
  AUTH_TAXPAYER_FORBIDDEN: '1006',
  BAD_REQUEST: '2000',
  INVOICE_FORMAT_INVALID: '2101',
  INVOICE_TOTALS_MISMATCH: '2102',
  INVOICE_LINES_MISMATCH: '2103',
  INVOICE_LINE_TAX_MISMATCH: '2104',
  INVOICE_SELLER_MISMATCH: '2105',
  INVOICE_BUYER_REQUIRED: '2106',
  INVOICE_SIGN_INVALID: '2107',
  RED_ORIGINAL_NOT_FOUND: '2108',
  RED_AMOUNT_EXCEEDS_ORIGINAL: '2109',
  RED_FORM_NOT_USABLE: '2110',
  VOID_NOT_ALLOWED: '2111',
  INVOICE_NOT_FOUND: '3001',
  RED_FORM_NOT_FOUND: '3101',
  RED_FORM_INVALID: '3102',
  RED_FORM_WRONG_PARTY: '3103',
  RED_FORM_WRONG_STATE: '3104',
  /** The form's amount is above what is left of the original (its total less red invoices and other live forms). */
  RED_FORM_AMOUNT_EXCEEDS_REMAINING: '3105',
  RATE_LIMITED: '9001',
  SERVICE_UNAVAILABLE: '9002',
  INTERNAL_ERROR: '9999',
} as const;
export type AuthorityCode = (typeof AUTHORITY_CODES)[keyof typeof AUTHORITY_CODES];

export interface AuthorityFieldError {
  code: string;
  field?: string;
  message: string;
}

export interface AuthorityEnvelope<T> {
  code: string;
  message: string;
  requestId: string;
  data?: T;
  errors?: AuthorityFieldError[];
}

export type AuthorityUploadKind = 'issued' | 'red-issued' | 'voided';

/** `POST /v1/taxpayers/{taxNo}/invoices`: idempotent on (invoice key, kind). */
export interface AuthorityUploadRequest {
  kind: AuthorityUploadKind;
  invoice: WireInvoice;
}

export interface AuthorityUploadResult {
  invoiceKey: string;
  uploadId: string;
  kind: AuthorityUploadKind;
  /** True when this (key, kind) was already accepted: the original result is returned. */
  duplicate: boolean;
  /** For a duplicate: whether the resent content equals the original one. */
  sameContent: boolean;
  acceptedAt: string;
}

export type AuthoritySource = 'direct' | 'baiwang' | 'nuonuo' | 'seed';

/** Full view of one invoice (lines included). */
export interface AuthorityInvoiceView extends WireInvoice {
  invoiceKey: string;
  status: WireInvoiceStatus;
  /** YYYY-MM of the issue date in Asia/Shanghai. */
  period: string;
  /** Sum of red invoices issued against this one (≤ 0). */
  redReversedAmount: string;
}

/** `GET /v1/taxpayers/{taxNo}/invoices/{invoiceKey}`: our own uploads, answered right after acceptance. */
export interface AuthorityOwnInvoice {
  invoice: AuthorityInvoiceView;
  uploadId: string;
  acceptedAt: string;
  visible: boolean;
  visibleAt: string;
  source: AuthoritySource;
}

/** One row of a list page (no lines). */
export interface AuthorityInvoiceHeader {
  invoiceKey: string;
  type: WireInvoiceType;
  code: string | null;
  number: string;
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  status: WireInvoiceStatus;
}

/** Query of `GET /v1/taxpayers/{taxNo}/invoices`. Order: issue time, then invoice key. */
export interface AuthorityListQuery {
  period: string;
  /** sales (as seller, default) or purchase (as buyer). */
  direction?: 'sales' | 'purchase';
  /** 1..1000, default 100. */
  pageSize?: number;
  pageToken?: string;
}

export interface AuthorityListPage {
  items: AuthorityInvoiceHeader[];
  nextPageToken: string | null;
}

/** 查验 inputs, as on the national verification service. */
export interface AuthorityVerifyRequest {
  fplx: string;
  fpdm?: string;
  fphm: string;
  /** YYYYMMDD. */
  kprq: string;
  /** Last 6 digits of the check code (general legacy types). */
  jym?: string;
  /** Amount excl. tax (special legacy types) or total incl. tax (数电). */
  kpje?: string;
}

/** 00 ok, 01 bad inputs, 02 no data, 03 mismatch, 04 not your invoice, 05 daily quota of this invoice used up. */
export type AuthorityReturnCode = '00' | '01' | '02' | '03' | '04' | '05';

export interface AuthorityVerifyResult {
  returncode: AuthorityReturnCode;
  returnmsg: string;
  invoice?: AuthorityInvoiceView;
}

/**
 * Red-letter confirmation form states: 01 no confirmation needed, 02 seller entered / awaiting buyer,
 * 03 buyer entered / awaiting seller, 04 confirmed, 05 void (buyer rejected), 06 void (seller rejected),
 * 07 void (not confirmed within 72 h), 08 void (revoked by the entrant), 09 void (revoked after
 * confirmation), 10 void (abnormal voucher).
 */
export type RedFormState = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10';

export interface RedFormCreateRequest {
  original: { code?: string | null; number: string };
  reason: WireRedReason;
  /** Negative decimal strings, at most the original's. */
  amount: string;
  taxAmount: string;
  lines?: WireInvoiceLine[];
  /**
   * The entrant's own request number (流水号, 8-64 of [A-Za-z0-9_-]), echoed on the form: the entrant finds the form it
   * entered by it when the answer was lost. Not an idempotency key: a second form with the same number is another form.
   */
  requestNo?: string;
}

export type RedFormAction = 'confirm' | 'reject' | 'revoke';

export interface RedFormActionRequest {
  action: RedFormAction;
}

export interface RedFormView {
  formId: string;
  state: RedFormState;
  enteredBy: 'seller' | 'buyer';
  sellerTaxNo: string;
  buyerTaxNo: string | null;
  originalInvoiceKey: string;
  reason: WireRedReason;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  createdAt: string;
  updatedAt: string;
  /** When an unconfirmed form turns 07. */
  confirmDeadline: string;
  /** The entrant's request number, when it gave one. */
  requestNo: string | null;
  /** The red invoice issued with this form (红字发票号码), once one was accepted; a form serves one red invoice. */
  redInvoiceKey: string | null;
}

export type ClearCardStatus = 'NOT_CLEARED' | 'CLEARED' | 'FAILED';

/** `GET /v1/taxpayers/{taxNo}/devices/{deviceNo}/clear-card?period=YYYY-MM`. */
export interface ClearCardView {
  taxNo: string;
  deviceNo: string;
  period: string;
  status: ClearCardStatus;
  clearedAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}
