/** Every code sync's API answers with. The strings are on the wire: add codes, never rename one. */
export const SyncErrorCode = {
  INVALID_CURSOR: 'INVALID_CURSOR',
  INVOICE_NOT_FOUND: 'INVOICE_NOT_FOUND',
  ROUTING_NOT_FOUND: 'ROUTING_NOT_FOUND',
  PLATFORM_QUERY_ONLY: 'PLATFORM_QUERY_ONLY',
  // remote operations (report and clear on a hosting platform)
  DEVICE_NOT_FOUND: 'DEVICE_NOT_FOUND',
  FILING_WINDOW_CLOSED: 'FILING_WINDOW_CLOSED',
  DEVICE_NOT_ACTIVE: 'DEVICE_NOT_ACTIVE',
  DEVICE_NOT_HOSTED: 'DEVICE_NOT_HOSTED',
  DEVICE_NO_REQUIRED: 'DEVICE_NO_REQUIRED',
  REMOTE_OPS_DISABLED: 'REMOTE_OPS_DISABLED',
  REMOTE_OP_ALREADY_DONE: 'REMOTE_OP_ALREADY_DONE',
  REMOTE_OP_IN_PROGRESS: 'REMOTE_OP_IN_PROGRESS',
} as const;
export type SyncErrorCode = (typeof SyncErrorCode)[keyof typeof SyncErrorCode];
