import type { WireInvoiceType, WireRedReason } from '../shared/invoice.wire';

export const NUONUO_METHODS = {
  submit: 'nuonuo.OpeMplatform.requestBillingNew',
  query: 'nuonuo.OpeMplatform.queryInvoiceResult',
} as const;

/** Envelope of every `/open/v1/services` answer. */
export interface NuonuoEnvelope<T> {
  code: string;
  describe: string;
  result: T | null;
}

/**
 * Codes: E0000, E4000, E9106, E9500, E9613 and 070306 are the platform's documented codes; the E90xx
 * gateway codes are the sandbox's own (docs/sandbox.md).
 */
export const NUONUO_CODES = {
  OK: 'E0000',
  BAD_FIELD: 'E4000',
  DUPLICATE_SERIAL: 'E9106',
  NOT_FOUND: 'E9500',
  SERIAL_DAILY_LIMIT: 'E9613',
  SYSTEM_ERROR: 'E9999',
  BAD_SYSTEM_PARAMS: 'E9001',
  INVALID_SIGNATURE: 'E9002',
  INVALID_TOKEN: 'E9003',
  TOKEN_EXPIRED: 'E9004',
  TIMESTAMP_EXPIRED: 'E9005',
  TAXPAYER_FORBIDDEN: 'E9006',
  UNKNOWN_METHOD: 'E9007',
  TOKEN_BAD_CLIENT: '070301',
  TOKEN_BAD_GRANT: '070302',
  TOKEN_QUOTA: '070306',
} as const;

/** `POST /accessToken`, form-encoded (or JSON): client_credentials for self-use apps. */
export interface NuonuoTokenRequest {
  client_id: string;
  client_secret: string;
  grant_type: 'client_credentials';
}

export interface NuonuoTokenResponse {
  access_token: string;
  /** Seconds. */
  expires_in: number;
}

export interface NuonuoTokenError {
  error: string;
  error_description: string;
}

/** Nuonuo invoice lines: p 电子普票, c 纸质普票, s 纸质专票, b 电子专票, bs 数电专票, pc 数电普票. */
export type NuonuoInvoiceLine = 'p' | 'c' | 's' | 'b' | 'bs' | 'pc';

export const NUONUO_LINE_BY_TYPE: Readonly<Record<WireInvoiceType, NuonuoInvoiceLine>> = {
  VAT_SPECIAL: 's',
  VAT_GENERAL: 'c',
  E_VAT_SPECIAL: 'b',
  E_VAT_GENERAL: 'p',
  DIGITAL_SPECIAL: 'bs',
  DIGITAL_GENERAL: 'pc',
};

export const TYPE_BY_NUONUO_LINE: Readonly<Record<string, WireInvoiceType>> = Object.fromEntries(
  Object.entries(NUONUO_LINE_BY_TYPE).map(([type, line]) => [line, type as WireInvoiceType]),
);

/** Nuonuo's red reasons (1 销货退回, 2 开票有误) differ from the authority's (01-04): map explicitly. */
export const AUTHORITY_RED_REASON_BY_NUONUO: Readonly<Record<'1' | '2', WireRedReason>> = {
  '1': '02',
  '2': '01',
};

export interface NuonuoInvoiceDetail {
  goodsName: string;
  /** 19-digit tax classification code. */
  goodsCode: string;
  num?: string;
  price?: string;
  /** Always "0": amounts are given excluding tax. */
  withTax?: '0';
  taxRate: string;
  taxExcludedAmount: string;
  tax: string;
}

/**
 * `requestBillingNew`'s order: a request to **issue a new invoice** (请求开具发票). Nuonuo assigns the issued invoice's
 * code and number; `invoiceCode` / `invoiceNum` are filled on red orders only and name the blue invoice being reversed.
 * There is no field for an invoice that already exists: an invoice issued by a tax device cannot be sent this way
 * (docs/sync.md, "Nuonuo: a query channel").
 */
export interface NuonuoOrder {
  /** The caller's order number: the idempotency key (1-40 chars of [A-Za-z0-9_-]). */
  orderNo: string;
  /** 订单时间: yyyy-MM-dd HH:mm:ss, Asia/Shanghai (the order's time, not the invoice's: Nuonuo issues it now). */
  invoiceDate: string;
  invoiceLine: NuonuoInvoiceLine;
  /** 1 blue, 2 red. */
  invoiceType: '1' | '2';
  /** Red orders only: the code of the blue invoice being reversed (legacy types). */
  invoiceCode?: string;
  /** Red orders only: the number of the blue invoice being reversed. */
  invoiceNum?: string;
  salerTaxNum: string;
  salerName: string;
  buyerName: string;
  buyerTaxNum?: string;
  redReason?: '1' | '2';
  invoiceDetail: NuonuoInvoiceDetail[];
}

export interface NuonuoSubmitRequest {
  order: NuonuoOrder;
}

export interface NuonuoSubmitResult {
  invoiceSerialNum: string;
}

export interface NuonuoQueryRequest {
  serialNos?: string[];
  orderNos?: string[];
}

/** 20 issuing → 21 sealing → 2 done; 22 failed, 24 seal failed (stop polling, re-issue). */
export type NuonuoInvoiceStatus = '2' | '20' | '21' | '22' | '24';

export interface NuonuoInvoiceResult {
  serialNo: string;
  orderNo: string;
  status: NuonuoInvoiceStatus;
  statusMsg: string;
  failCause: string;
  invoiceCode: string;
  invoiceNo: string;
  /** Epoch milliseconds of the issue time. */
  invoiceTime: number;
  salerTaxNum: string;
  buyerName: string;
  orderAmount: string;
}
