import { ChannelBreaker, ChannelBreakerSettings } from '../delivery/channel-breaker';
import {
  ChannelDeliveryError,
  DeliveryFailureKind,
  ProviderReceipt,
  RobotChannel,
} from '../delivery/delivery-failure';

/** What every robot provider shares: the endpoint, the call's deadline and the channel's breaker. */
export interface RobotTransportSettings {
  /** The platform's base URL (https://qyapi.weixin.qq.com, https://oapi.dingtalk.com, https://open.feishu.cn; the sandbox in tests). */
  endpoint: string;
  /** Deadline of a call, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** How long a robot that said "too many messages" is left alone (the platforms count per minute). */
  rateLimitRetryMs?: number;
  breaker?: Partial<ChannelBreakerSettings>;
}

/** The platform's answer, read within the deadline. */
export interface RobotAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/** Reads a platform's answer: a receipt when it took the message, else the classified failure (thrown). */
export type AnswerCheck = (answer: RobotAnswer) => ProviderReceipt;

/** Network failures where nothing reached the platform: a resend is safe. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const DEFAULT_RATE_LIMIT_RETRY_MS = 60_000;

/**
 * One POST of a JSON body to a robot webhook, behind the channel's breaker, with a deadline that covers the whole
 * exchange. The URL carries the robot's key or token: it is never logged nor kept in an error (messages name the
 * robot by its configured name, causes keep only the network error's code).
 */
export class RobotTransport {
  private readonly breaker: ChannelBreaker<{ url: URL; body: string; check: AnswerCheck }, ProviderReceipt>;

  constructor(
    private readonly channel: RobotChannel,
    private readonly settings: RobotTransportSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.breaker = new ChannelBreaker(
      channel,
      (call) => this.exchange(call.url, call.body, call.check),
      settings.breaker,
      // A robot over its per-minute quota is a healthy platform asking that robot to wait.
      (error) => error.code.endsWith('_RATE_LIMITED'),
    );
  }

  get isOpen(): boolean {
    return this.breaker.isOpen;
  }

  get rateLimitRetryMs(): number {
    return this.settings.rateLimitRetryMs ?? DEFAULT_RATE_LIMIT_RETRY_MS;
  }

  /** `path` (with its query) is resolved against the endpoint, keeping the endpoint's own path prefix. */
  url(path: string): URL {
    const base = this.settings.endpoint.replace(/\/+$/, '');
    return new URL(`${base}${path}`);
  }

  post(url: URL, body: string, check: AnswerCheck): Promise<ProviderReceipt> {
    return this.breaker.fire({ url, body, check });
  }

  failure(
    outcome: DeliveryFailureKind,
    code: string,
    message: string,
    retryAfterMs?: number,
  ): ChannelDeliveryError {
    return new ChannelDeliveryError(this.channel, outcome, code, `${this.channel}: ${message}`, {
      retryAfterMs,
    });
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async exchange(url: URL, body: string, check: AnswerCheck): Promise<ProviderReceipt> {
    const deadline = AbortSignal.timeout(this.settings.timeoutMs);
    const prefix = this.channel.toUpperCase();
    let answer: RobotAnswer;
    try {
      const response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: deadline,
        redirect: 'manual',
      });
      const text = await response.text();
      answer = { status: response.status, body: parseObject(text) };
    } catch (error) {
      if (deadline.aborted) {
        throw this.failure(
          'unknown',
          `${prefix}_TIMEOUT`,
          `no complete answer within ${this.settings.timeoutMs} ms`,
        );
      }
      const code = networkCode(error);
      const outcome: DeliveryFailureKind = NOT_CONNECTED.has(code) ? 'not_sent' : 'unknown';
      throw this.failure(outcome, `${prefix}_${code}`, `call failed (${code})`);
    }
    return check(answer);
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The system error code of a failed fetch (undici wraps it in `cause`), never its message (it may name the URL). */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'NETWORK';
}

/**
 * An answer without the platform's business envelope: 429 and 503 (the service turned the request away) are "not
 * taken, later", any other 4xx a refusal; any other 5xx (or anything else) may or may not have been acted on.
 */
export function classifyHttpStatus(
  transport: RobotTransport,
  channel: RobotChannel,
  status: number,
): ChannelDeliveryError {
  const prefix = channel.toUpperCase();
  if (status === 429)
    return transport.failure('not_sent', `${prefix}_RATE_LIMITED`, 'HTTP 429', transport.rateLimitRetryMs);
  if (status === 503) return transport.failure('not_sent', `${prefix}_HTTP_503`, 'HTTP 503 (unavailable)');
  if (status >= 400 && status < 500)
    return transport.failure('rejected', `${prefix}_HTTP_${status}`, `HTTP ${status}`);
  return transport.failure('unknown', `${prefix}_HTTP_${status}`, `HTTP ${status}`);
}
