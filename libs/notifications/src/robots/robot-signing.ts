import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot (加签): HMAC-SHA256 keyed with the secret over `${timestamp}\n${secret}` (timestamp in
 * milliseconds), base64. It travels URL-encoded in the `sign` query parameter (URLSearchParams does that).
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Feishu custom bot (签名校验): HMAC-SHA256 keyed with `${timestamp}\n${secret}` (timestamp in seconds) over an
 * empty message, base64; sent in the JSON body beside the timestamp.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}
