/**
 * The fixed codes of a failed send (`ChannelDeliveryError`). Most codes carry the provider's own answer and are built
 * from it: `SMTP_<reply code>` or `SMTP_<nodemailer code>`, `SMS_<Aliyun Code>`, `<CHANNEL>_<network code>` and
 * `<CHANNEL>_TIMEOUT` for the group robots. They are stored with each attempt: never rename one.
 */
export const NotificationsErrorCode = {
  BREAKER_OPEN: 'BREAKER_OPEN',
  SMTP_CONNECTION_REFUSED: 'SMTP_CONNECTION_REFUSED',
  SMTP_TIMEOUT: 'SMTP_TIMEOUT',
  SMS_CALL_FAILED: 'SMS_CALL_FAILED',
} as const;
export type NotificationsErrorCode = (typeof NotificationsErrorCode)[keyof typeof NotificationsErrorCode];
