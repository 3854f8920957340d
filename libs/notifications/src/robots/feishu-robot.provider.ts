import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { IRobotProvider, RobotMessage } from './robot-provider.port';
import { feishuSign } from './robot-signing';
import { classifyHttpStatus, RobotAnswer, RobotTransport, RobotTransportSettings } from './robot-transport';

/** A Feishu custom bot: the token of its webhook (`…/bot/v2/hook/{token}`) and, with 签名校验 on, its secret. */
export interface FeishuRobotCredentials {
  token: string;
  secret: string;
}

export interface FeishuRobotSettings extends RobotTransportSettings {
  robots: Record<string, FeishuRobotCredentials>;
}

export const FEISHU_CODES = {
  OK: 0,
  /** Bad Request: the body is not a message Feishu understands. */
  BAD_REQUEST: 9499,
  /** frequency limited: 100 per minute and 5 per second per bot. */
  RATE_LIMITED: 11232,
  /** sign match fail or timestamp is not within one hour from current time. */
  SIGN_MISMATCH: 19021,
  /** The gateway's own limit (HTTP 429 / 400): request trigger frequency limit. */
  GATEWAY_RATE_LIMITED: 99991400,
} as const;

/**
 * Feishu (飞书) custom bot: `POST /open-apis/bot/v2/hook/{token}` with `{timestamp, sign, msg_type, …}`, answered
 * `{code, msg}`. Markdown goes as an interactive card (a header and one markdown element), text as `text`.
 */
export class FeishuRobotProvider implements IRobotProvider {
  readonly id = 'feishu-webhook';
  readonly channel = 'feishu' as const;
  private readonly transport: RobotTransport;

  constructor(
    private readonly settings: FeishuRobotSettings,
    private readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    this.transport = new RobotTransport('feishu', settings, fetchImpl);
  }

  isAvailable(): boolean {
    return !this.transport.isOpen;
  }

  knows(robot: string): boolean {
    return Object.hasOwn(this.settings.robots, robot);
  }

  async send(message: RobotMessage): Promise<ProviderReceipt> {
    const credentials = this.knows(message.robot) ? this.settings.robots[message.robot] : undefined;
    if (!credentials)
      throw this.transport.failure('rejected', 'FEISHU_ROBOT_UNKNOWN', `no robot named ${message.robot}`);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const signed = { timestamp: String(timestamp), sign: feishuSign(credentials.secret, timestamp) };
    const body = JSON.stringify(
      message.format === 'markdown'
        ? {
            ...signed,
            msg_type: 'interactive',
            card: {
              header: { title: { tag: 'plain_text', content: message.title } },
              elements: [{ tag: 'markdown', content: message.text }],
            },
          }
        : { ...signed, msg_type: 'text', content: { text: message.text } },
    );
    if (utf8Bytes(body) > ROBOT_LIMITS.feishu.body) {
      throw this.transport.failure(
        'rejected',
        'FEISHU_TOO_LONG',
        `request body over ${ROBOT_LIMITS.feishu.body} bytes`,
      );
    }
    const url = this.transport.url(`/open-apis/bot/v2/hook/${encodeURIComponent(credentials.token)}`);
    return this.transport.post(url, body, (answer) => this.check(answer, message.robot));
  }

  async close(): Promise<void> {
    this.transport.shutdown();
  }

  private check(answer: RobotAnswer, robot: string): ProviderReceipt {
    const code = answer.body?.code ?? answer.body?.StatusCode;
    if (typeof code !== 'number') throw classifyHttpStatus(this.transport, 'feishu', answer.status);
    if (code === FEISHU_CODES.OK)
      return { provider: this.id, providerMessageId: null, response: `0 ${robot}` };
    const said = `robot ${robot}: ${code} ${String(answer.body?.msg ?? '')}`.trim();
    if (code === FEISHU_CODES.RATE_LIMITED || code === FEISHU_CODES.GATEWAY_RATE_LIMITED)
      throw this.transport.failure('not_sent', 'FEISHU_RATE_LIMITED', said, this.transport.rateLimitRetryMs);
    throw this.transport.failure('rejected', `FEISHU_${code}`, said);
  }
}
