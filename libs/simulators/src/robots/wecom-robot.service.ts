import type { SandboxCounters } from '../core/counters';
import { RecordedRobotMessage, RobotRateWindow, RobotReply, utf8Length } from './robot-rate-window';

export interface WecomRobotSpec {
  name: string;
  key: string;
}

export interface WecomSettings {
  robots: WecomRobotSpec[];
  /** Messages per robot per window: 20 a minute. */
  limit: number;
  windowMs: number;
}

const MAX_BYTES = { markdown: 4096, text: 2048 } as const;

const reply = (errcode: number, errmsg: string): RobotReply => ({
  httpStatus: 200,
  body: { errcode, errmsg },
});

/**
 * WeCom group robot webhook: `POST /cgi-bin/webhook/send?key=KEY`. Checks the key (93000), the body and its
 * msgtype (40058 for a bad parameter), the content size (markdown 4096 bytes, text 2048), then the robot's rate
 * (45009 past 20 messages a minute). Always HTTP 200 with `{errcode, errmsg}`, as WeCom answers.
 */
export class WecomRobotService {
  private messages: RecordedRobotMessage[] = [];
  private readonly window: RobotRateWindow;

  constructor(
    private readonly settings: () => WecomSettings,
    private readonly counters: SandboxCounters,
    private readonly now: () => number,
  ) {
    this.window = new RobotRateWindow(() => this.settings());
  }

  send(key: string | undefined, body: unknown, bytes: number): RobotReply {
    const stats = this.counters.of('wecom');
    const robot = this.settings().robots.find((r) => r.key === key);
    if (!robot) {
      stats.authFailures += 1;
      return reply(93000, 'invalid webhook url, hint: [sandbox]');
    }
    const message = parseMessage(body);
    if (typeof message === 'string') {
      stats.rejected += 1;
      return reply(40058, `${message}, hint: [sandbox]`);
    }
    const limit = MAX_BYTES[message.msgtype];
    if (utf8Length(message.content) > limit) {
      stats.rejected += 1;
      return reply(40058, `${message.msgtype}.content exceed max length ${limit}. invalid Request Parameter`);
    }
    const now = this.now();
    if (!this.window.allows(robot.name, now)) {
      stats.faults.rateLimited += 1;
      return reply(45009, 'api freq out of limit, hint: [sandbox]');
    }
    this.window.record(robot.name, now);
    this.messages.push({
      platform: 'wecom',
      robot: robot.name,
      msgtype: message.msgtype,
      title: null,
      content: message.content,
      bytes,
      receivedAt: new Date(now).toISOString(),
    });
    stats.accepted += 1;
    return reply(0, 'ok');
  }

  list(filter: { robot?: string } = {}): RecordedRobotMessage[] {
    return this.messages.filter((m) => !filter.robot || m.robot === filter.robot);
  }

  clear(): void {
    this.messages = [];
    this.window.clear();
  }
}

function parseMessage(body: unknown): { msgtype: 'markdown' | 'text'; content: string } | string {
  if (!body || typeof body !== 'object') return 'invalid json request';
  const { msgtype } = body as { msgtype?: unknown };
  if (msgtype !== 'markdown' && msgtype !== 'text') return `invalid message type: ${String(msgtype)}`;
  const content = (body as Record<string, { content?: unknown } | undefined>)[msgtype]?.content;
  if (typeof content !== 'string' || content === '') return `${msgtype}.content missing`;
  return { msgtype, content };
}
