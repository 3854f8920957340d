import { Clock, SystemClock } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { ROBOT_LIMITS, utf8Bytes } from './robot-limits';
import { IRobotProvider, RobotMessage } from './robot-provider.port';
import { classifyHttpStatus, RobotAnswer, RobotTransport, RobotTransportSettings } from './robot-transport';

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
export class WecomRobotProvider implements IRobotProvider {
  readonly id = 'wecom-webhook';
  readonly channel = 'wecom' as const;
  private readonly transport: RobotTransport;

  constructor(
    private readonly settings: WecomRobotSettings,
    // WeCom signs nothing with time; kept for symmetry with the other robots (tests inject one clock for all).
    readonly clock: Clock = new SystemClock(),
    fetchImpl?: typeof fetch,
  ) {
    this.transport = new RobotTransport('wecom', settings, fetchImpl);
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
      throw this.transport.failure('rejected', 'WECOM_ROBOT_UNKNOWN', `no robot named ${message.robot}`);
    const limit = ROBOT_LIMITS.wecom[message.format];
    if (utf8Bytes(message.text) > limit) {
      throw this.transport.failure(
        'rejected',
        'WECOM_TOO_LONG',
        `${message.format} content over ${limit} bytes`,
      );
    }
    const body =
      message.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { content: message.text } }
        : { msgtype: 'text', text: { content: message.text } };
    const url = this.transport.url(`/cgi-bin/webhook/send?${new URLSearchParams({ key: credentials.key })}`);
    return this.transport.post(url, JSON.stringify(body), (answer) => this.check(answer, message.robot));
  }

  async close(): Promise<void> {
    this.transport.shutdown();
  }

  private check(answer: RobotAnswer, robot: string): ProviderReceipt {
    const code = answer.body?.errcode;
    if (typeof code !== 'number') throw classifyHttpStatus(this.transport, 'wecom', answer.status);
    if (code === WECOM_CODES.OK)
      return { provider: this.id, providerMessageId: null, response: `0 ${robot}` };
    const said = `robot ${robot}: ${code} ${String(answer.body?.errmsg ?? '')}`.trim();
    if (code === WECOM_CODES.RATE_LIMITED)
      throw this.transport.failure('not_sent', 'WECOM_RATE_LIMITED', said, this.transport.rateLimitRetryMs);
    if (code === WECOM_CODES.SYSTEM_BUSY) throw this.transport.failure('not_sent', 'WECOM_BUSY', said);
    throw this.transport.failure('rejected', `WECOM_${code}`, said);
  }
}
