import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { GroupRobotProvider } from './group-robot.provider';
import { RobotMessage } from './robot-provider.port';
import { dingtalkSign } from './robot-signing';
import { RobotTransportSettings } from './robot-transport';

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
export class DingtalkRobotProvider extends GroupRobotProvider<DingtalkRobotCredentials> {
  readonly id = 'dingtalk-webhook';

  constructor(
    settings: DingtalkRobotSettings,
    private readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    super(
      'dingtalk',
      settings.robots,
      settings,
      {
        codeFields: ['errcode'],
        messageField: 'errmsg',
        ok: DINGTALK_CODES.OK,
        rateLimited: [DINGTALK_CODES.RATE_LIMITED],
        busy: [DINGTALK_CODES.SYSTEM_BUSY],
      },
      fetchImpl,
    );
  }

  protected post(message: RobotMessage, credentials: DingtalkRobotCredentials): Promise<ProviderReceipt> {
    const body = JSON.stringify(
      message.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { title: message.title, text: message.text } }
        : { msgtype: 'text', text: { content: message.text } },
    );
    this.refuseOver(utf8Bytes(body), ROBOT_LIMITS.dingtalk.body, 'message');
    const timestamp = this.clock.now().getTime();
    const query = new URLSearchParams({
      access_token: credentials.accessToken,
      timestamp: String(timestamp),
      sign: dingtalkSign(credentials.secret, timestamp),
    });
    const url = this.transport.url(`/robot/send?${query}`);
    return this.transport.post(url, body, (answer) => this.check(answer, message.robot));
  }
}
