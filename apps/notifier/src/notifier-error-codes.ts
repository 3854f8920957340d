/** Every code the notifier's API answers with. The strings are on the wire: add codes, never rename one. */
export const NotifierErrorCode = {
  RECIPIENT_NOT_FOUND: 'RECIPIENT_NOT_FOUND',
  RULE_NOT_FOUND: 'RULE_NOT_FOUND',
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  NOT_RESENDABLE: 'NOT_RESENDABLE',
  NO_ADDRESS: 'NO_ADDRESS',
} as const;
export type NotifierErrorCode = (typeof NotifierErrorCode)[keyof typeof NotifierErrorCode];
