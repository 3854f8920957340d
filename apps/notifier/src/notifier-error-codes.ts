/** Every code the notifier's API answers with. The strings are on the wire: add codes, never rename one. */
export const NotifierErrorCode = {
  RECIPIENT_NOT_FOUND: 'RECIPIENT_NOT_FOUND',
  RULE_NOT_FOUND: 'RULE_NOT_FOUND',
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  NOT_RESENDABLE: 'NOT_RESENDABLE',
  NO_ADDRESS: 'NO_ADDRESS',
  // a send that failed outside a provider's own answer (stored with the attempt)
  SEND_FAILED: 'SEND_FAILED',
  SEND_INTERRUPTED: 'SEND_INTERRUPTED',
} as const;
export type NotifierErrorCode = (typeof NotifierErrorCode)[keyof typeof NotifierErrorCode];
