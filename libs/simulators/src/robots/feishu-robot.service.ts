import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxCounters } from '../core/counters';
import { RecordedRobotMessage, RobotRateWindow, RobotReply } from './robot-rate-window';

export interface FeishuRobotSpec {
  name: string;
  token: string;
  /** 签名校验 secret. */
  secret: string;
}

export interface FeishuSettings {
  robots: FeishuRobotSpec[];
  /** 100 a minute and 5 a second per bot. */
  perMinute: number;
  perSecond: number;
  /** The signature's timestamp must be this close to the server's clock (1 hour). */
  timestampWindowMs: number;
}

const MAX_BODY_BYTES = 20 * 1024;

const answer = (code: number, msg: string, httpStatus = 200): RobotReply => ({
  httpStatus,
  body: { code, msg, data: {} },
});

/**
 * Feishu custom bot: `POST /open-apis/bot/v2/hook/{token}`. Checks the token (19001), the body's size (20 KB) and
 * shape (9499 Bad Request, HTTP 400), the timestamp (seconds, within an hour) and the signature (19021 either way,
 * Feishu's one message for both), then the rate (11232 frequency limited: 100 a minute, 5 a second). Answers
 * `{code, msg, data}`.
 */
export class FeishuRobotService {
  private messages: RecordedRobotMessage[] = [];
  private readonly minute: RobotRateWindow;
  private readonly second: RobotRateWindow;

  constructor(
    private readonly settings: () => FeishuSettings,
    private readonly counters: SandboxCounters,
    private readonly now: () => number,
  ) {
    this.minute = new RobotRateWindow(() => ({ limit: this.settings().perMinute, windowMs: 60_000 }));
    this.second = new RobotRateWindow(() => ({ limit: this.settings().perSecond, windowMs: 1_000 }));
  }

  send(token: string, body: unknown, bytes: number): RobotReply {
    const stats = this.counters.of('feishu');
    const settings = this.settings();
    const robot = settings.robots.find((r) => r.token === token);
    if (!robot) {
      stats.authFailures += 1;
      return answer(19001, 'param invalid: incoming webhook access token invalid');
    }
    if (bytes > MAX_BODY_BYTES) {
      stats.rejected += 1;
      return answer(9499, 'Bad Request', 400);
    }
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const now = this.now();
    const timestamp =
      typeof b.timestamp === 'string' || typeof b.timestamp === 'number' ? String(b.timestamp) : '';
    const within =
      /^\d{10}$/.test(timestamp) && Math.abs(now - Number(timestamp) * 1000) <= settings.timestampWindowMs;
    if (!within || !signatureMatches(robot.secret, timestamp, b.sign)) {
      stats.signatureFailures += 1;
      return answer(19021, 'sign match fail or timestamp is not within one hour from current time');
    }
    const message = parseMessage(b);
    if (!message) {
      stats.rejected += 1;
      return answer(9499, 'Bad Request', 400);
    }
    if (!this.minute.allows(robot.name, now) || !this.second.allows(robot.name, now)) {
      stats.faults.rateLimited += 1;
      return answer(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[-1]');
    }
    this.minute.record(robot.name, now);
    this.second.record(robot.name, now);
    this.messages.push({
      platform: 'feishu',
      robot: robot.name,
      ...message,
      bytes,
      receivedAt: new Date(now).toISOString(),
    });
    stats.accepted += 1;
    return answer(0, 'success');
  }

  list(filter: { robot?: string } = {}): RecordedRobotMessage[] {
    return this.messages.filter((m) => !filter.robot || m.robot === filter.robot);
  }

  clear(): void {
    this.messages = [];
    this.minute.clear();
    this.second.clear();
  }
}

/** The sandbox's own check of Feishu's signature: base64(HMAC-SHA256 keyed `${timestamp}\n${secret}` over ""). */
function signatureMatches(secret: string, timestamp: string, sign: unknown): boolean {
  if (typeof sign !== 'string' || sign === '') return false;
  const expected = createHmac('sha256', Buffer.from(`${timestamp}\n${secret}`, 'utf8')).digest();
  const given = Buffer.from(sign, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseMessage(
  b: Record<string, unknown>,
): Pick<RecordedRobotMessage, 'msgtype' | 'title' | 'content'> | null {
  if (b.msg_type === 'text') {
    const text = (b.content as { text?: unknown } | undefined)?.text;
    return typeof text === 'string' && text !== '' ? { msgtype: 'text', title: null, content: text } : null;
  }
  if (b.msg_type === 'interactive') {
    const card = b.card as
      | { header?: { title?: { content?: unknown } }; elements?: Array<{ tag?: unknown; content?: unknown }> }
      | undefined;
    if (!card || !Array.isArray(card.elements) || card.elements.length === 0) return null;
    const title = card.header?.title?.content;
    const content = card.elements
      .map((e) => (typeof e.content === 'string' ? e.content : ''))
      .filter(Boolean)
      .join('\n');
    return { msgtype: 'interactive', title: typeof title === 'string' ? title : null, content };
  }
  if (b.msg_type === 'post') {
    const post = (b.content as { post?: Record<string, { title?: unknown; content?: unknown }> } | undefined)
      ?.post;
    const first = post ? Object.values(post)[0] : undefined;
    if (!first || !Array.isArray(first.content)) return null;
    return {
      msgtype: 'post',
      title: typeof first.title === 'string' ? first.title : null,
      content: JSON.stringify(first.content),
    };
  }
  return null;
}
