/** How long a session lives: an idle limit (since the last request) and an absolute one (since sign-in). */
export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

export type SessionAge = 'alive' | 'idle' | 'expired';

/** Whether a session is still usable at `now` (the injected clock's, like every time rule of the product). */
export function sessionAge(session: SessionTimes, now: Date, limits: SessionLimits): SessionAge {
  if (now.getTime() - session.createdAt.getTime() >= limits.maxMs) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs) return 'idle';
  return 'alive';
}

/** When the session ends if nothing else happens: the earlier of the two limits. */
export function sessionEndsAt(session: SessionTimes, limits: SessionLimits): Date {
  return new Date(
    Math.min(session.lastSeenAt.getTime() + limits.idleMs, session.createdAt.getTime() + limits.maxMs),
  );
}
