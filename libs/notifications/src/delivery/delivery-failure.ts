import { AppError } from '@lib/common';

/** Group robots: the WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) group chats' webhooks. */
export const ROBOT_CHANNELS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotChannel = (typeof ROBOT_CHANNELS)[number];
export type NotificationChannel = 'email' | 'sms' | RobotChannel;
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['email', 'sms', ...ROBOT_CHANNELS];

export function isRobotChannel(channel: string): channel is RobotChannel {
  return (ROBOT_CHANNELS as readonly string[]).includes(channel);
}

/**
 * What we know about a send that failed. The distinction decides whether a retry is safe:
 * - `not_sent`: the provider never took the message (refused, 4xx before the content, breaker open): resend;
 * - `unknown`: the message may have been taken (timeout after the content went out): resend only with an
 *   idempotency key the provider honours (SMS OutId); for SMTP, hold it for a person;
 * - `rejected`: the provider understood and refused (bad address, unknown template): permanent.
 */
export type DeliveryFailureKind = 'not_sent' | 'unknown' | 'rejected';

export interface DeliveryFailureOptions {
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed send, with a stable code (`SMTP_421`, `SMS_THROTTLED`, `BREAKER_OPEN`...) and its outcome. */
export class ChannelDeliveryError extends AppError {
  readonly retryAfterMs?: number;

  constructor(
    readonly channel: NotificationChannel,
    readonly outcome: DeliveryFailureKind,
    code: string,
    message: string,
    options: DeliveryFailureOptions = {},
  ) {
    super(code, outcome === 'rejected' ? 'validation' : 'transient', message, { cause: options.cause });
    this.name = 'ChannelDeliveryError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isChannelDeliveryError(error: unknown): error is ChannelDeliveryError {
  return error instanceof ChannelDeliveryError;
}

/** What a provider answers when it took the message. */
export interface ProviderReceipt {
  /** Which adapter sent it (`smtp`, `aliyun`, `log`). */
  provider: string;
  /** The provider's id for the message (SMTP Message-ID, SMS BizId). */
  providerMessageId: string | null;
  /** The provider's answer, for the delivery log (`250 Message queued as ...`). */
  response?: string;
}
