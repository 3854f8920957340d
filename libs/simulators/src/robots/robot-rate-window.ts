/**
 * Per-robot sliding-window counters: at most `limit` accepted messages in any `windowMs`. Only messages the robot
 * took count (a refused one is not a message), as the platforms count "messages per minute per robot".
 */
export class RobotRateWindow {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly rule: () => { limit: number; windowMs: number }) {}

  /** Whether one more message of `robot` at `now` would stay within the limit. */
  allows(robot: string, now: number): boolean {
    const { limit, windowMs } = this.rule();
    return this.recent(robot, now, windowMs).length < limit;
  }

  record(robot: string, now: number): void {
    this.sent.set(robot, [...(this.sent.get(robot) ?? []), now]);
  }

  clear(): void {
    this.sent.clear();
  }

  private recent(robot: string, now: number, windowMs: number): number[] {
    const kept = (this.sent.get(robot) ?? []).filter((at) => at > now - windowMs && at <= now);
    this.sent.set(robot, kept);
    return kept;
  }
}

/** The text's size as the platforms count it: UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** One message a simulated robot took, as the control API lists it. */
export interface RecordedRobotMessage {
  platform: 'wecom' | 'dingtalk' | 'feishu';
  /** The robot's name in the sandbox settings (not its key or token). */
  robot: string;
  /** `markdown` / `text` (WeCom, DingTalk) or `interactive` / `post` / `text` (Feishu). */
  msgtype: string;
  title: string | null;
  content: string;
  /** The request body's size in UTF-8 bytes. */
  bytes: number;
  receivedAt: string;
}

/** A simulated robot's answer: the HTTP status and the platform's JSON body. */
export interface RobotReply {
  httpStatus: number;
  body: Record<string, unknown>;
}
