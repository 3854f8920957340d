import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { IRobotProvider, RobotMessage } from './robot-provider.port';
import { dingtalkSign } from './robot-signing';
import { classifyHttpStatus, RobotAnswer, RobotTransport, RobotTransportSettings } from './robot-transport';

/** A DingTalk custom robot: its access token and, with 加签 on, its `SEC…` signing secret. */
export interface DingtalkRobotCredentials {
  accessToken: string;
  secret: string;
}

export interface DingtalkRobotSettings extends RobotTransportSettings {
  robots: Record<string, DingtalkRobotCredentials>;
}

export const DINGTALK_CODES = {
  OK: 0,
  SYSTEM_BUSY: -1,
  /** send too fast: more than 20 messages per minute per robot. */
  RATE_LIMITED: 130101,
  /** token is not exist. */
  TOKEN_UNKNOWN: 300001,
  /** the security settings refused: bad signature or timestamp, missing keyword, ip not allowed. */
  SECURITY_REFUSED: 310000,
  /** message too long. */
  TOO_LONG: 460101,
} as const;

/**
 * DingTalk (钉钉) custom robot: `POST /robot/send?access_token=T&timestamp=MS&sign=S` with
 * `{msgtype, markdown: {title, text} | text: {content}}`, answered `{errcode, errmsg}`. Signed with the injected
 * clock: DingTalk refuses a timestamp more than an hour from its own.
 */
export class DingtalkRobotProvider implements IRobotProvider {
  readonly id = 'dingtalk-webhook';
  readonly channel = 'dingtalk' as const;
  private readonly transport: RobotTransport;

  constructor(
    private readonly settings: DingtalkRobotSettings,
    private readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    this.transport = new RobotTransport('dingtalk', settings, fetchImpl);
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
      throw this.transport.failure('rejected', 'DINGTALK_ROBOT_UNKNOWN', `no robot named ${message.robot}`);
    const body = JSON.stringify(
      message.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { title: message.title, text: message.text } }
        : { msgtype: 'text', text: { content: message.text } },
    );
    if (utf8Bytes(body) > ROBOT_LIMITS.dingtalk.body) {
      throw this.transport.failure(
        'rejected',
        'DINGTALK_TOO_LONG',
        `message over ${ROBOT_LIMITS.dingtalk.body} bytes`,
      );
    }
    const timestamp = this.clock.now().getTime();
    const query = new URLSearchParams({
      access_token: credentials.accessToken,
      timestamp: String(timestamp),
      sign: dingtalkSign(credentials.secret, timestamp),
    });
    const url = this.transport.url(`/robot/send?${query}`);
    return this.transport.post(url, body, (answer) => this.check(answer, message.robot));
  }

  async close(): Promise<void> {
    this.transport.shutdown();
  }

  private check(answer: RobotAnswer, robot: string): ProviderReceipt {
    const code = answer.body?.errcode;
    if (typeof code !== 'number') throw classifyHttpStatus(this.transport, 'dingtalk', answer.status);
    if (code === DINGTALK_CODES.OK)
      return { provider: this.id, providerMessageId: null, response: `0 ${robot}` };
    const said = `robot ${robot}: ${code} ${String(answer.body?.errmsg ?? '')}`.trim();
    if (code === DINGTALK_CODES.RATE_LIMITED)
      throw this.transport.failure(
        'not_sent',
        'DINGTALK_RATE_LIMITED',
        said,
        this.transport.rateLimitRetryMs,
      );
    if (code === DINGTALK_CODES.SYSTEM_BUSY) throw this.transport.failure('not_sent', 'DINGTALK_BUSY', said);
    throw this.transport.failure('rejected', `DINGTALK_${code}`, said);
  }
}
