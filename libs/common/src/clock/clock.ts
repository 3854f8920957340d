/** Time is a dependency: production uses the system clock, tests freeze or advance it. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * The system clock moved by a fixed offset: time runs at its normal pace from another instant. Every process of a
 * system given the same offset (`CLOCK_OFFSET_MS`) agrees on "now", so a demo or a test can run the whole system as
 * of the 1st of a month, a filing deadline or New Year's Eve without waiting for it.
 */
export class ShiftedClock implements Clock {
  constructor(
    readonly offsetMs: number,
    private readonly base: Clock = new SystemClock(),
  ) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
}

/** The clock a service runs on: the system's, or the system's moved by `CLOCK_OFFSET_MS`. */
export function clockFromOffset(offsetMs: number): Clock {
  return offsetMs === 0 ? new SystemClock() : new ShiftedClock(offsetMs);
}

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
