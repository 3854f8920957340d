import type { WireInvoice, WireInvoiceStatus, WireInvoiceType } from '../shared/invoice.wire';

/** The single gateway path; the method is a system parameter. */
export const BAIWANG_GATEWAY_PATH = '/router/rest';

export const BAIWANG_METHODS = {
  token: 'baiwang.oauth.token',
  upload: 'baiwang.output.invoice.upload',
  query: 'baiwang.output.invoice.query',
  validate: 'baiwang.input.compliance.validate',
  /** 一键抄报: uploads the period's summary of a hosted tax device. */
  report: 'baiwang.output.device.onekeyreport',
  /** 一键清卡 (反写): clears the device for the period once it is reported. */
  clearCard: 'baiwang.output.device.onekeywriteback',
  /** The hosted device's state: lock date, reporting window, what is done for a period, offline invoices. */
  monitor: 'baiwang.output.device.monitor',
} as const;

/** The one-key device methods: rate-limited per taxpayer, acting on a device hosted at Baiwang. */
export const BAIWANG_DEVICE_METHODS: readonly string[] = [
  BAIWANG_METHODS.report,
  BAIWANG_METHODS.clearCard,
  BAIWANG_METHODS.monitor,
];

export interface BaiwangErrorResponse {
  code: string;
  msg: string;
  subCode?: string;
  subMsg?: string;
}

export interface BaiwangEnvelope<T> {
  success: boolean;
  requestId?: string;
  response?: T;
  errorResponse?: BaiwangErrorResponse;
}

/**
 * Error codes of the Baiwang gateway as simulated by the sandbox (docs/sandbox.md). The 1000xx codes are
 * gateway (protocol) errors, the 2000xx/3000xx codes business errors carried with `success: false`.
 */
export const BAIWANG_ERRORS = {
  SYSTEM_ERROR: { code: '100001', msg: '系统繁忙，请稍后重试' },
  MISSING_PARAMETER: { code: '100002', msg: '缺少必要的系统参数' },
  INVALID_APP_KEY: { code: '100003', msg: 'appKey不存在或已停用' },
  INVALID_TIMESTAMP: { code: '100004', msg: '时间戳无效或已过期' },
  INVALID_SIGNATURE: { code: '100005', msg: '签名验证失败' },
  INVALID_TOKEN: { code: '100006', msg: 'token无效' },
  TOKEN_EXPIRED: { code: '100007', msg: 'token已过期' },
  UNKNOWN_METHOD: { code: '100008', msg: '方法不存在' },
  INVALID_BODY: { code: '100009', msg: '请求报文格式错误' },
  OAUTH_FAILED: { code: '100010', msg: '认证失败：客户端或用户凭据错误' },
  INVALID_REFRESH_TOKEN: { code: '100011', msg: 'refresh_token无效或已过期' },
  RATE_LIMITED: { code: '100012', msg: '请求过于频繁' },
  TAXPAYER_FORBIDDEN: { code: '100013', msg: '该应用无权操作此税号' },
  INVOICE_INVALID: { code: '200001', msg: '发票数据校验不通过' },
  NOT_FOUND: { code: '200002', msg: '未查询到数据' },
  SERIAL_CONFLICT: { code: '200003', msg: '流水号已用于另一张发票' },
  CLEAR_CARD_FAILED: { code: '300001', msg: '清卡失败' },
  /** 抄报/清卡 asked outside the period's reporting window (the 1st of the next month to its filing deadline). */
  OUTSIDE_REPORTING_WINDOW: { code: '300002', msg: '当前不在该所属期的抄报清卡期内' },
  /** 清卡 asked before the period's 抄报 succeeded. */
  NOT_REPORTED: { code: '300003', msg: '该所属期尚未抄报，请先抄报' },
  /** The device holds offline invoices not uploaded yet: clearing cannot succeed. */
  OFFLINE_INVOICES_PENDING: { code: '300004', msg: '存在未上传的离线发票，请先上传后再清卡' },
  /** No device with this machine number is hosted at Baiwang for the taxpayer. */
  DEVICE_NOT_FOUND: { code: '300005', msg: '税控设备不存在或未托管' },
  /** The hosted device or its driver does not answer or reports a fault. */
  DEVICE_FAULT: { code: '300006', msg: '税控设备响应异常' },
} as const satisfies Record<string, BaiwangErrorResponse>;

export type BaiwangGrantType = 'password' | 'refresh_token';

/** `baiwang.oauth.token` parameters: in the JSON body (or the query string). Not signed. */
export interface BaiwangTokenRequest {
  grant_type: BaiwangGrantType;
  client_id: string;
  client_secret: string;
  username?: string;
  password?: string;
  refresh_token?: string;
}

export interface BaiwangTokenResponse {
  access_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export type BaiwangUploadKind = 'issued' | 'red-issued' | 'voided';

export interface BaiwangUploadRequest {
  taxNo: string;
  /** Request serial (开票流水号): the idempotency key, 1-64 chars of [A-Za-z0-9_-]. */
  serialNo: string;
  kind?: BaiwangUploadKind;
  invoice: WireInvoice;
}

export interface BaiwangUploadResponse {
  serialNo: string;
  invoiceKey: string;
  uploadStatus: 'UPLOADED';
  uploadTime: string;
  duplicate: boolean;
}

export interface BaiwangQueryRequest {
  taxNo: string;
  serialNo?: string;
  invoiceKey?: string;
  invoiceCode?: string;
  invoiceNumber?: string;
}

export interface BaiwangQueryResponse {
  serialNo: string;
  invoiceKey: string;
  kind: BaiwangUploadKind;
  uploadStatus: 'UPLOADED';
  uploadTime: string;
  /** Whether the authority shows the invoice yet (uploads become visible after a lag). */
  authorityStatus: 'VISIBLE' | 'PENDING' | 'NOT_FOUND';
  invoiceStatus: WireInvoiceStatus | null;
}

/** 查验 through Baiwang (alternate channel); same rules as the authority's fplx/fpdm/fphm/kprq/jym/kpje. */
export interface BaiwangValidateRequest {
  taxNo: string;
  /** fplx code, e.g. "01", "04", "08", "10", "81", "82". */
  invoiceType: string;
  invoiceCode?: string;
  invoiceNumber: string;
  /** YYYYMMDD or YYYY-MM-DD. */
  billingDate: string;
  /** Amount excl. tax (special) or total incl. tax (数电). */
  amount?: string;
  /** Last 6 digits of the check code (general invoices). */
  checkCode?: string;
}

export interface BaiwangValidateResponse {
  resultCode: string;
  resultMsg: string;
  invoice?: WireInvoice & { invoiceKey: string; status: WireInvoiceStatus };
}

/** `baiwang.output.device.onekeyreport`, `.onekeywriteback` and `.monitor` all name the device and the period. */
export interface BaiwangDeviceRequest {
  taxNo: string;
  /** Device number (机器编号 / 税控设备号). */
  machineNo: string;
  /** Reporting period (所属期) YYYY-MM; defaults to the month before the current month. */
  period?: string;
}

export type BaiwangReportRequest = BaiwangDeviceRequest;
export type BaiwangClearCardRequest = BaiwangDeviceRequest;
export type BaiwangMonitorRequest = BaiwangDeviceRequest;

/** One invoice type's summary in a 抄报: non-voided invoices of the period, red ones negative. */
export interface BaiwangReportTotal {
  invoiceType: WireInvoiceType;
  count: number;
  /** 2-decimal strings. */
  amount: string;
  taxAmount: string;
}

export interface BaiwangReportResponse {
  taxNo: string;
  machineNo: string;
  period: string;
  result: 'SUCCESS';
  /** ISO-8601 (UTC). */
  reportedAt: string;
  totals: BaiwangReportTotal[];
}

export interface BaiwangClearCardResponse {
  taxNo: string;
  machineNo: string;
  period: string;
  result: 'SUCCESS';
  clearedAt: string;
  /** The device's new lock date (锁死日期), YYYY-MM-DD: the next period's filing deadline. */
  lockDate: string;
}

export interface BaiwangMonitorResponse {
  taxNo: string;
  machineNo: string;
  period: string;
  /** 锁死日期 YYYY-MM-DD. */
  lockDate: string;
  /** The period's reporting window (抄报期), YYYY-MM-DD, Asia/Shanghai. */
  reportStart: string;
  reportEnd: string;
  reported: boolean;
  reportedAt: string | null;
  cleared: boolean;
  clearedAt: string | null;
  /** 离线发票张数: offline invoices not uploaded yet. */
  offlineInvoiceCount: number;
}
