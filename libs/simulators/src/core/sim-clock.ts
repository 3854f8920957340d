/**
 * Simulated business time: `now = start + (realElapsed × scale) + manual advances`. Token lifetimes,
 * red-letter deadlines, Nuonuo issuing progress, daily quotas and visibility lags run on it, so a test can
 * expire a 72 h form in seconds (scale 3600: one real second is one simulated hour). Signature timestamp
 * windows compare with the real clock, because clients sign with theirs.
 */
export class SimClock {
  private readonly realStart: number;
  private readonly simStart: number;
  private offsetMs = 0;

  constructor(
    readonly scale: number = 1,
    startMs?: number,
    private readonly realNowFn: () => number = Date.now,
  ) {
    if (!(scale > 0)) throw new Error('time scale must be positive');
    this.realStart = realNowFn();
    this.simStart = startMs ?? this.realStart;
  }

  now(): number {
    return Math.floor(this.simStart + (this.realNowFn() - this.realStart) * this.scale + this.offsetMs);
  }

  realNow(): number {
    return this.realNowFn();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('can only advance by a non-negative duration');
    this.offsetMs += ms;
  }
}
