import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxCounters } from '../core/counters';
import { RecordedRobotMessage, RobotRateWindow, RobotReply } from './robot-rate-window';

export interface DingtalkRobotSpec {
  name: string;
  accessToken: string;
  /** 加签 secret (`SEC…`). */
  secret: string;
}

export interface DingtalkSettings {
  robots: DingtalkRobotSpec[];
  /** Messages per robot per window: 20 a minute. */
  limit: number;
  windowMs: number;
  /** How long a robot that went over stays throttled (DingTalk: 10 minutes). */
  throttleMs: number;
  /** The signature's timestamp must be this close to the server's clock (1 hour). */
  timestampWindowMs: number;
}

const MAX_BYTES = 20_000;

const reply = (errcode: number, errmsg: string): RobotReply => ({
  httpStatus: 200,
  body: { errcode, errmsg },
});

/**
 * DingTalk custom robot: `POST /robot/send?access_token=T&timestamp=MS&sign=S`. Checks the token (300001), the
 * timestamp (within an hour of the real clock) and the HMAC-SHA256 signature (310000 either way, as DingTalk's
 * security settings answer), the body (40035), its size (460101 past 20000 bytes) and the rate (130101 past 20 a
 * minute, then throttled for `throttleMs`). HTTP 200 with `{errcode, errmsg}`.
 */
export class DingtalkRobotService {
  private messages: RecordedRobotMessage[] = [];
  private readonly window: RobotRateWindow;
  private readonly throttledUntil = new Map<string, number>();

  constructor(
    private readonly settings: () => DingtalkSettings,
    private readonly counters: SandboxCounters,
    private readonly now: () => number,
  ) {
    this.window = new RobotRateWindow(() => this.settings());
  }

  send(
    query: { access_token?: string; timestamp?: string; sign?: string },
    body: unknown,
    bytes: number,
  ): RobotReply {
    const stats = this.counters.of('dingtalk');
    const settings = this.settings();
    const robot = settings.robots.find((r) => r.accessToken === query.access_token);
    if (!robot) {
      stats.authFailures += 1;
      return reply(300001, 'token is not exist');
    }
    const now = this.now();
    const timestamp = Number(query.timestamp);
    if (!/^\d{13}$/.test(query.timestamp ?? '') || Math.abs(now - timestamp) > settings.timestampWindowMs) {
      stats.authFailures += 1;
      return reply(310000, 'invalid timestamp');
    }
    if (!signatureMatches(robot.secret, query.timestamp!, query.sign)) {
      stats.signatureFailures += 1;
      return reply(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]');
    }
    const message = parseMessage(body);
    if (typeof message === 'string') {
      stats.rejected += 1;
      return reply(40035, message);
    }
    if (bytes > MAX_BYTES) {
      stats.rejected += 1;
      return reply(460101, `message too long, exceed ${MAX_BYTES} bytes`);
    }
    if ((this.throttledUntil.get(robot.name) ?? 0) > now || !this.window.allows(robot.name, now)) {
      if (!this.throttledUntil.has(robot.name) || this.throttledUntil.get(robot.name)! <= now)
        this.throttledUntil.set(robot.name, now + settings.throttleMs);
      stats.faults.rateLimited += 1;
      return reply(130101, `send too fast, exceed ${settings.limit} times per minute`);
    }
    this.window.record(robot.name, now);
    this.messages.push({
      platform: 'dingtalk',
      robot: robot.name,
      ...message,
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
    this.throttledUntil.clear();
  }
}

/** The sandbox's own check of DingTalk's 加签: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)). */
function signatureMatches(secret: string, timestamp: string, sign: string | undefined): boolean {
  if (!sign) return false;
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest();
  const given = Buffer.from(sign, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseMessage(body: unknown): { msgtype: string; title: string | null; content: string } | string {
  if (!body || typeof body !== 'object') return '缺少参数 json';
  const b = body as {
    msgtype?: unknown;
    markdown?: { title?: unknown; text?: unknown };
    text?: { content?: unknown };
  };
  if (b.msgtype === 'markdown') {
    if (
      typeof b.markdown?.title !== 'string' ||
      typeof b.markdown.text !== 'string' ||
      b.markdown.text === ''
    )
      return '缺少参数 markdown.title / markdown.text';
    return { msgtype: 'markdown', title: b.markdown.title, content: b.markdown.text };
  }
  if (b.msgtype === 'text') {
    if (typeof b.text?.content !== 'string' || b.text.content === '') return '缺少参数 text.content';
    return { msgtype: 'text', title: null, content: b.text.content };
  }
  return `不支持的消息类型 msgtype: ${String(b.msgtype)}`;
}
