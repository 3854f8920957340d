import { AxiosResponse } from 'axios';
import { Clock, SystemClock } from '@lib/common';
import { buildSendSmsParams, SendSmsResponse, SMS_CODES } from '@lib/protocols';
import {
  BreakerSettings,
  ExternalCallError,
  FailureKind,
  isExternalCallError,
  ResilientHttpClient,
} from '@lib/resilience';
import { ChannelDeliveryError, ProviderReceipt } from '../delivery/delivery-failure';
import { ISmsProvider, SmsMessage } from './sms-provider.port';
import { NotificationsErrorCode } from '../notifications-error-codes';

export interface AliyunSmsSettings {
  /** The gateway's base URL (Dysms: https://dysmsapi.aliyuncs.com; the sandbox in tests). */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  timeoutMs: number;
  breaker?: Partial<BreakerSettings>;
}

/** Business codes answered with HTTP 200 that mean "not taken, try later" rather than "refused". */
const RETRY_LATER = new Set<string>([
  SMS_CODES.THROTTLED,
  SMS_CODES.SERVICE_UNAVAILABLE,
  SMS_CODES.NONCE_USED,
  SMS_CODES.TIMESTAMP_EXPIRED,
]);

/**
 * Aliyun Dysms-style `SendSms` (RPC signature v1, HMAC-SHA1) through the resilient HTTP client (timeout and
 * the SMS channel's breaker). `OutId` is the notification's idempotency key: the gateway answers a repeated
 * OutId with the first BizId instead of sending again, so a send with an unknown outcome may be retried.
 */
export class AliyunSmsProvider implements ISmsProvider {
  readonly id = 'aliyun';
  private readonly http: ResilientHttpClient;

  /** `clock`: what the request's Timestamp says; the gateway refuses one too far from its own time. */
  constructor(
    private readonly settings: AliyunSmsSettings,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.http = new ResilientHttpClient({
      target: 'sms',
      baseURL: settings.endpoint,
      timeoutMs: settings.timeoutMs,
      breaker: settings.breaker,
    });
  }

  isAvailable(): boolean {
    return !this.http.isOpen;
  }

  async send(message: SmsMessage): Promise<ProviderReceipt> {
    const params = buildSendSmsParams({
      accessKeyId: this.settings.accessKeyId,
      accessKeySecret: this.settings.accessKeySecret,
      phoneNumbers: message.phoneNumber,
      signName: this.settings.signName,
      templateCode: message.templateCode,
      templateParam: message.templateParams,
      outId: message.outId,
      timestamp: this.clock.now(),
    });
    try {
      const response = await this.http.request<SendSmsResponse>(
        {
          method: 'POST',
          url: '/',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          data: new URLSearchParams(params).toString(),
        },
        checkAnswer,
      );
      return {
        provider: this.id,
        providerMessageId: response.data.BizId ?? null,
        response: response.data.Code,
      };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async close(): Promise<void> {
    this.http.shutdown();
  }
}

function checkAnswer(response: AxiosResponse): void {
  const body = response.data as Partial<SendSmsResponse>;
  if (body.Code === SMS_CODES.OK) return;
  const kind: FailureKind = RETRY_LATER.has(String(body.Code)) ? 'not_sent' : 'rejected';
  throw new ExternalCallError(
    'sms',
    kind,
    String(body.Code ?? 'NO_CODE'),
    `sms: ${body.Code}: ${body.Message}`,
    response.status,
  );
}

function toDeliveryError(error: unknown): ChannelDeliveryError {
  if (!isExternalCallError(error)) {
    return new ChannelDeliveryError(
      'sms',
      'unknown',
      NotificationsErrorCode.SMS_CALL_FAILED,
      `sms: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const answered = (error.cause as { response?: { data?: Partial<SendSmsResponse> } } | undefined)?.response
    ?.data?.Code;
  let kind: FailureKind = error.kind;
  if (answered && RETRY_LATER.has(answered)) kind = 'not_sent';
  const code = `SMS_${(answered ?? error.code).replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
  return new ChannelDeliveryError('sms', kind, code, error.message, {
    cause: error,
    retryAfterMs: error.retryAfterMs,
  });
}
