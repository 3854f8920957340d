import { RobotChannel } from '../delivery/delivery-failure';
import { RobotFormat } from './robot-provider.port';

/**
 * The platforms' published size limits, in UTF-8 bytes:
 * - WeCom: markdown content at most 4096 bytes, text content at most 2048;
 * - DingTalk: the message at most 20000 bytes (the platform's "message too long" beyond);
 * - Feishu: the request body at most 20 KB.
 * What a template may fill is the content; the rest of the body (JSON envelope, title, signature) takes its share,
 * so `contentLimit` leaves room for it where the limit is on the whole body.
 */
export const ROBOT_LIMITS = {
  wecom: { markdown: 4096, text: 2048 },
  dingtalk: { body: 20_000 },
  feishu: { body: 20 * 1024 },
} as const;

/** Room the JSON envelope, title and signature may take of a body-wide limit. */
const ENVELOPE_ALLOWANCE = 1024;

/** The most content bytes a message of `format` may carry on `channel`. */
export function contentLimit(channel: RobotChannel, format: RobotFormat): number {
  if (channel === 'wecom') return ROBOT_LIMITS.wecom[format];
  return ROBOT_LIMITS[channel].body - ENVELOPE_ALLOWANCE;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Shortens `text` (ending it with `…`) to at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateToBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const ellipsis = '…';
  const budget = maxBytes - utf8Bytes(ellipsis);
  if (budget <= 0) return '';
  let used = 0;
  let out = '';
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > budget) break;
    used += size;
    out += char;
  }
  return `${out}${ellipsis}`;
}
