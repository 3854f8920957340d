import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { GroupRobotProvider } from './group-robot.provider';
import { RobotMessage } from './robot-provider.port';
import { feishuSign } from './robot-signing';
import { RobotTransportSettings } from './robot-transport';

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
export class FeishuRobotProvider extends GroupRobotProvider<FeishuRobotCredentials> {
  readonly id = 'feishu-webhook';

  constructor(
    settings: FeishuRobotSettings,
    private readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    super(
      'feishu',
      settings.robots,
      settings,
      {
        codeFields: ['code', 'StatusCode'],
        messageField: 'msg',
        ok: FEISHU_CODES.OK,
        rateLimited: [FEISHU_CODES.RATE_LIMITED, FEISHU_CODES.GATEWAY_RATE_LIMITED],
        busy: [],
      },
      fetchImpl,
    );
  }

  protected post(message: RobotMessage, credentials: FeishuRobotCredentials): Promise<ProviderReceipt> {
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
    this.refuseOver(utf8Bytes(body), ROBOT_LIMITS.feishu.body, 'request body');
    const url = this.transport.url(`/open-apis/bot/v2/hook/${encodeURIComponent(credentials.token)}`);
    return this.transport.post(url, body, (answer) => this.check(answer, message.robot));
  }
}
