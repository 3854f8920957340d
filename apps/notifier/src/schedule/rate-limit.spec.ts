import { nextAllowedSend } from './rate-limit';

const HOUR = 3_600_000;
const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

describe('per-recipient rate limit (sliding window)', () => {
  const rate = { limit: 3, windowMs: HOUR };

  it('lets a message through under the limit', () => {
    expect(nextAllowedSend([t(0), t(10)], t(20), rate)).toEqual(t(20));
    expect(nextAllowedSend([], t(20), rate)).toEqual(t(20));
  });

  it('makes the next one wait until the oldest send leaves the window', () => {
    const at = nextAllowedSend([t(30), t(5), t(10)], t(40), rate);
    expect(at.getTime()).toBe(t(5).getTime() + HOUR + 1);
  });

  it('forgets sends older than the window', () => {
    expect(nextAllowedSend([t(0), t(1), t(2)], t(70), rate)).toEqual(t(70));
  });
});
