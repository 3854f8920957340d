import { ManualClock } from '@lib/common';
import { sessionAge, sessionEndsAt } from './session-limits';

describe('session limits', () => {
  const limits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

  it('keeps a session alive while it is used within the idle limit', () => {
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    const session = { createdAt: clock.now(), lastSeenAt: clock.now() };
    clock.advance(29 * 60_000);
    expect(sessionAge(session, clock.now(), limits)).toBe('alive');
    session.lastSeenAt = clock.now();
    clock.advance(29 * 60_000);
    expect(sessionAge(session, clock.now(), limits)).toBe('alive');
  });

  it('ends a session left idle for the idle limit', () => {
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    const session = { createdAt: clock.now(), lastSeenAt: clock.now() };
    clock.advance(30 * 60_000);
    expect(sessionAge(session, clock.now(), limits)).toBe('idle');
  });

  it('ends a session at the absolute limit however busy it is', () => {
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    const session = { createdAt: clock.now(), lastSeenAt: clock.now() };
    for (let i = 0; i < 12 * 4; i += 1) {
      clock.advance(15 * 60_000);
      session.lastSeenAt = clock.now();
    }
    expect(sessionAge(session, clock.now(), limits)).toBe('expired');
    expect(sessionEndsAt(session, limits).toISOString()).toBe('2026-03-01T20:00:00.000Z');
  });
});
