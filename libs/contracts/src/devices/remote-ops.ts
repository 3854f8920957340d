/**
 * Remote 抄报 / 清卡 of devices hosted on a platform (issue 15): how a failed operation is classified, as the
 * operating procedures classify it, and what a person must do for each class. The `errorCode` of a failed
 * `device.clear-card` that the product recorded is one of REMOTE_OP_ERROR_CODES; its `errorMessage` keeps the
 * platform's own words. Readers (explanations, the console, alerts) look the advice up here by code.
 */
export const REMOTE_OP_FAILURE_CLASSES = [
  /** The tax device or its driver at the platform does not answer or reports a fault. */
  'device',
  /** The platform or the authority could not be reached (timeout, connection refused, breaker open). */
  'network',
  /** The platform or the authority answered with a server fault or a rate limit: try again later. */
  'server',
  /** The platform refuses this application for the taxpayer or the device (authorisation, token, scope). */
  'permission',
  /** The device holds offline invoices not yet uploaded: clearing cannot succeed until they are. */
  'offline-invoices',
  /** Asked outside the filing window, or clear before report: a rule, not a fault. */
  'rule',
] as const;
export type RemoteOpFailureClass = (typeof REMOTE_OP_FAILURE_CLASSES)[number];

export interface RemoteOpFailure {
  failureClass: RemoteOpFailureClass;
  /** Whether the scheduler retries it by itself (with backoff) without a person. */
  retriable: boolean;
  advice: { 'zh-CN': string; en: string };
}

export const REMOTE_OP_FAILURES = {
  REMOTE_DEVICE_FAULT: {
    failureClass: 'device',
    retriable: false,
    advice: {
      'zh-CN': '请检查托管税控设备的连接与驱动状态（必要时联系平台重启设备），恢复后在控制台重试清卡',
      en: 'check the hosted tax device and its driver (ask the platform to restart it if needed), then retry the clear-card from the console',
    },
  },
  REMOTE_NETWORK_ERROR: {
    failureClass: 'network',
    retriable: true,
    advice: {
      'zh-CN': '系统会自动重试；若临近申报期限仍失败，请检查与平台之间的网络连接',
      en: 'the product retries by itself; if it still fails near the deadline, check the network path to the platform',
    },
  },
  REMOTE_SERVER_ERROR: {
    failureClass: 'server',
    retriable: true,
    advice: {
      'zh-CN': '平台或税局服务暂时不可用，系统会自动重试；临近期限仍失败请联系平台客服',
      en: 'the platform or the authority is unavailable for now and the product retries by itself; near the deadline, call the platform',
    },
  },
  REMOTE_PERMISSION_DENIED: {
    failureClass: 'permission',
    retriable: false,
    advice: {
      'zh-CN': '平台拒绝本应用操作该税号或设备：请管理员在平台上为本应用授权后重试',
      en: 'the platform refuses this application for the taxpayer or device: an admin must grant it at the platform, then retry',
    },
  },
  REMOTE_OFFLINE_INVOICES_PENDING: {
    failureClass: 'offline-invoices',
    retriable: false,
    advice: {
      'zh-CN': '设备存在未上传的离线发票：请先在开票软件中上传离线发票，再重试抄报和清卡',
      en: 'the device holds offline invoices not yet uploaded: upload them from the invoicing software first, then retry the report and clear-card',
    },
  },
  REMOTE_RULE_REFUSED: {
    failureClass: 'rule',
    retriable: false,
    advice: {
      'zh-CN': '平台按规则拒绝（不在申报期内或未先抄报）：系统会在申报期内按顺序重新执行',
      en: 'the platform refused it by rule (outside the filing window, or clear before report): the product runs it again in order inside the window',
    },
  },
} as const satisfies Record<string, RemoteOpFailure>;

export type RemoteOpErrorCode = keyof typeof REMOTE_OP_FAILURES;
export const REMOTE_OP_ERROR_CODES = Object.keys(REMOTE_OP_FAILURES) as RemoteOpErrorCode[];

export function isRemoteOpErrorCode(code: unknown): code is RemoteOpErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REMOTE_OP_FAILURES, code);
}
