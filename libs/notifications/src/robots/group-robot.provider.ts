import { ProviderReceipt, RobotChannel } from '../delivery/delivery-failure';
import { IRobotProvider, RobotMessage } from './robot-provider.port';
import { classifyHttpStatus, RobotAnswer, RobotTransport, RobotTransportSettings } from './robot-transport';

/** How a platform's answer body says what happened: which field holds its code and words, and which codes mean what. */
export interface AnswerCodes {
  /** The body fields holding the code, first present wins (Feishu's gateway answers `StatusCode`). */
  codeFields: readonly string[];
  messageField: string;
  ok: number;
  /** The platform's flow control: not taken, retried after the rate-limit pause. */
  rateLimited: readonly number[];
  /** "System busy": not taken, retried at the usual backoff. */
  busy: readonly number[];
}

/**
 * What every group robot shares: its robots by name (credentials never leave the provider), the channel's transport
 * and breaker, and the reading of a platform answer into a receipt or a classified failure whose code starts with the
 * channel's name (`WECOM_RATE_LIMITED`, `DINGTALK_310000`). A platform supplies only how it signs, shapes and limits
 * one message (`post`) and its answer codes.
 */
export abstract class GroupRobotProvider<C> implements IRobotProvider {
  abstract readonly id: string;
  protected readonly transport: RobotTransport;
  private readonly prefix: string;

  protected constructor(
    readonly channel: RobotChannel,
    private readonly robots: Record<string, C>,
    settings: RobotTransportSettings,
    private readonly codes: AnswerCodes,
    fetchImpl?: typeof fetch,
  ) {
    this.transport = new RobotTransport(channel, settings, fetchImpl);
    this.prefix = channel.toUpperCase();
  }

  isAvailable(): boolean {
    return !this.transport.isOpen;
  }

  knows(robot: string): boolean {
    return Object.hasOwn(this.robots, robot);
  }

  async send(message: RobotMessage): Promise<ProviderReceipt> {
    if (!this.knows(message.robot))
      throw this.transport.failure(
        'rejected',
        `${this.prefix}_ROBOT_UNKNOWN`,
        `no robot named ${message.robot}`,
      );
    return this.post(message, this.robots[message.robot]);
  }

  async close(): Promise<void> {
    this.transport.shutdown();
  }

  /** Signs, shapes and checks the size of one message, then posts it through `this.transport` with `check`. */
  protected abstract post(message: RobotMessage, credentials: C): Promise<ProviderReceipt>;

  /** Refuses, without a call, a message over the platform's limit. */
  protected refuseOver(bytes: number, limit: number, what: string): void {
    if (bytes > limit)
      throw this.transport.failure('rejected', `${this.prefix}_TOO_LONG`, `${what} over ${limit} bytes`);
  }

  protected check(answer: RobotAnswer, robot: string): ProviderReceipt {
    const field = this.codes.codeFields.find((f) => answer.body?.[f] !== undefined);
    const code = field === undefined ? undefined : answer.body?.[field];
    if (typeof code !== 'number') throw classifyHttpStatus(this.transport, this.channel, answer.status);
    if (code === this.codes.ok) return { provider: this.id, providerMessageId: null, response: `0 ${robot}` };
    const said = `robot ${robot}: ${code} ${String(answer.body?.[this.codes.messageField] ?? '')}`.trim();
    if (this.codes.rateLimited.includes(code))
      throw this.transport.failure(
        'not_sent',
        `${this.prefix}_RATE_LIMITED`,
        said,
        this.transport.rateLimitRetryMs,
      );
    if (this.codes.busy.includes(code)) throw this.transport.failure('not_sent', `${this.prefix}_BUSY`, said);
    throw this.transport.failure('rejected', `${this.prefix}_${code}`, said);
  }
}
