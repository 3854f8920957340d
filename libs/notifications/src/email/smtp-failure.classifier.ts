import { ChannelDeliveryError } from '../delivery/delivery-failure';
import { NotificationsErrorCode } from '../notifications-error-codes';

interface SmtpErrorLike {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  command?: unknown;
  message?: unknown;
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Maps a nodemailer failure to what we know about the message.
 *
 * The server answered with a code: 4xx means it did not take the message (retry), 5xx that it refused it
 * for good. Without an answer (timeout, connection lost) it depends on how far we got: if the content had
 * not been handed to the connection yet, nothing can have been delivered; once it was, the server may
 * have queued it and only its reply was lost, so the outcome is unknown and a blind resend could
 * duplicate the email.
 */
export function classifySmtpError(error: unknown, contentHandedOver: boolean): ChannelDeliveryError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : 'ESMTP';
  const original = typeof e.originalCode === 'string' ? e.originalCode : undefined;
  if (responseCode !== undefined) {
    const permanent = responseCode >= 500;
    return new ChannelDeliveryError(
      'email',
      permanent ? 'rejected' : 'not_sent',
      `SMTP_${responseCode}`,
      `smtp: ${message}`,
      {
        cause: error,
      },
    );
  }
  if (REFUSED.has(original ?? '') || REFUSED.has(code) || /ECONNREFUSED/.test(message)) {
    return new ChannelDeliveryError(
      'email',
      'not_sent',
      NotificationsErrorCode.SMTP_CONNECTION_REFUSED,
      `smtp: ${message}`,
      {
        cause: error,
      },
    );
  }
  if (
    code === 'EAUTH' ||
    code === 'ENOAUTH' ||
    code === 'ECONFIG' ||
    code === 'EENVELOPE' ||
    code === 'EMESSAGE'
  ) {
    return new ChannelDeliveryError('email', 'rejected', `SMTP_${code.slice(1)}`, `smtp: ${message}`, {
      cause: error,
    });
  }
  return new ChannelDeliveryError(
    'email',
    contentHandedOver ? 'unknown' : 'not_sent',
    code === 'ETIMEDOUT' ? NotificationsErrorCode.SMTP_TIMEOUT : `SMTP_${code.replace(/^E/, '')}`,
    `smtp: ${message}`,
    { cause: error },
  );
}
