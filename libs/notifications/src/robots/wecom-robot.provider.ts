import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { GroupRobotProvider } from './group-robot.provider';
import { RobotMessage } from './robot-provider.port';
import { RobotTransportSettings } from './robot-transport';

/** A WeCom group robot: its webhook key (the `key` of `…/cgi-bin/webhook/send?key=…`). */
export interface WecomRobotCredentials {
  key: string;
}

export interface WecomRobotSettings extends RobotTransportSettings {
  /** By name, as recipients reference them. */
  robots: Record<string, WecomRobotCredentials>;
}

/** WeCom's answers (`errcode`) that mean "not taken, try later". */
export const WECOM_CODES = {
  OK: 0,
  SYSTEM_BUSY: -1,
  /** api freq out of limit: 20 messages per minute per robot. */
  RATE_LIMITED: 45009,
  /** invalid webhook url (unknown or removed key). */
  INVALID_KEY: 93000,
  /** invalid parameter, e.g. markdown.content exceed max length 4096. */
  INVALID_PARAMETER: 40058,
} as const;

/**
 * WeCom (企业微信) group robot: `POST /cgi-bin/webhook/send?key=KEY` with `{msgtype, markdown|text: {content}}`,
 * answered `{errcode, errmsg}`. The key is the only credential; it is in the URL, which is never logged.
 */
export class WecomRobotProvider extends GroupRobotProvider<WecomRobotCredentials> {
  readonly id = 'wecom-webhook';

  constructor(
    settings: WecomRobotSettings,
    // WeCom signs nothing with time; kept for symmetry with the other robots (tests inject one clock for all).
    readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    super(
      'wecom',
      settings.robots,
      settings,
      {
        codeFields: ['errcode'],
        messageField: 'errmsg',
        ok: WECOM_CODES.OK,
        rateLimited: [WECOM_CODES.RATE_LIMITED],
        busy: [WECOM_CODES.SYSTEM_BUSY],
      },
      fetchImpl,
    );
  }

  protected post(message: RobotMessage, credentials: WecomRobotCredentials): Promise<ProviderReceipt> {
    this.refuseOver(utf8Bytes(message.text), ROBOT_LIMITS.wecom[message.format], `${message.format} content`);
    const body =
      message.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { content: message.text } }
        : { msgtype: 'text', text: { content: message.text } };
    const url = this.transport.url(`/cgi-bin/webhook/send?${new URLSearchParams({ key: credentials.key })}`);
    return this.transport.post(url, JSON.stringify(body), (answer) => this.check(answer, message.robot));
  }
}
