export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * A sliding-window limit per recipient and channel. Given the send times within the window (any order),
 * answers when the next message may go: `at` itself when under the limit, else when the oldest send
 * that keeps it at the limit leaves the window.
 */
export function nextAllowedSend(sentAt: readonly Date[], at: Date, rate: RateLimit): Date {
  const windowStart = at.getTime() - rate.windowMs;
  const inWindow = sentAt
    .map((d) => d.getTime())
    .filter((t) => t > windowStart && t <= at.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < rate.limit) return at;
  const blocking = inWindow[inWindow.length - rate.limit];
  return new Date(blocking + rate.windowMs + 1);
}
