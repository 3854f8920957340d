import { SeededRandom } from '../core/seeded-random';
import { faultSpecSchema, type FaultSpec, type SandboxTarget } from './fault.schema';

/** What the gate must do with one request, decided up front. */
export type GateDecision =
  | { kind: 'outage'; retryAfterSeconds: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'hang' }
  | { kind: 'error'; status: number; delayMs: number }
  | { kind: 'pass'; delayMs: number };

export type OutageListener = (target: SandboxTarget, refusing: boolean) => void;

interface TargetState {
  spec: FaultSpec;
  windowStart: number;
  windowCount: number;
  timers: NodeJS.Timeout[];
  refusing: boolean;
  window: { from: number; to: number } | null;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Holds the injected faults of every target and makes the random choices with a seeded PRNG per target,
 * so a run is repeatable under SANDBOX_SEED. Outage windows use the real clock.
 */
export class FaultInjector {
  private readonly states = new Map<SandboxTarget, TargetState>();
  private random = new Map<SandboxTarget, SeededRandom>();
  private listeners: OutageListener[] = [];

  constructor(
    private readonly seed: string,
    private readonly realNow: () => number = Date.now,
  ) {}

  onRefuseChange(listener: OutageListener): void {
    this.listeners.push(listener);
  }

  set(target: SandboxTarget, input: unknown): FaultSpec {
    const spec = faultSpecSchema.parse(input);
    this.clear(target);
    const state: TargetState = {
      spec,
      windowStart: 0,
      windowCount: 0,
      timers: [],
      refusing: false,
      window: null,
    };
    this.states.set(target, state);
    if (spec.outage) this.scheduleOutage(target, state, spec.outage);
    return spec;
  }

  all(): Partial<Record<SandboxTarget, FaultSpec>> {
    return Object.fromEntries([...this.states].map(([target, state]) => [target, state.spec]));
  }

  clear(target?: SandboxTarget): void {
    const targets = target ? [target] : [...this.states.keys()];
    for (const t of targets) {
      const state = this.states.get(t);
      if (!state) continue;
      state.timers.forEach(clearTimeout);
      this.states.delete(t);
      if (state.refusing) this.emit(t, false);
    }
  }

  /** Clears all faults and restarts every PRNG from the seed. */
  reset(): void {
    this.clear();
    this.random = new Map();
  }

  decide(target: SandboxTarget, operation: string): GateDecision {
    const spec = this.applicable(target, operation);
    if (!spec) return { kind: 'pass', delayMs: 0 };
    const state = this.states.get(target)!;
    const now = this.realNow();
    if (spec.outage && this.outageActive(spec.outage, state, now)) {
      return { kind: 'outage', retryAfterSeconds: spec.outage.retryAfterSeconds };
    }
    if (spec.rateLimit) {
      const { limit, windowMs } = spec.rateLimit;
      const windowStart = Math.floor(now / windowMs) * windowMs;
      if (windowStart !== state.windowStart) Object.assign(state, { windowStart, windowCount: 0 });
      state.windowCount += 1;
      if (state.windowCount > limit) {
        const retry =
          spec.rateLimit.retryAfterSeconds ?? Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
        return { kind: 'rate-limited', retryAfterSeconds: retry };
      }
    }
    const random = this.prng(target);
    if (spec.hang && random.chance(spec.hang.probability)) return { kind: 'hang' };
    const delayMs = spec.latency
      ? spec.latency.fixedMs + (spec.latency.jitterMs ? random.int(spec.latency.jitterMs + 1) : 0)
      : 0;
    if (spec.errorRate !== undefined && random.chance(spec.errorRate)) {
      return { kind: 'error', status: spec.errorStatus, delayMs };
    }
    return { kind: 'pass', delayMs };
  }

  /** Whether an accepted upload must never become visible. */
  neverVisible(target: SandboxTarget, operation: string, ...keys: string[]): boolean {
    const fault = this.applicable(target, operation)?.neverVisible;
    return (
      !!fault &&
      (keys.some((k) => fault.invoiceKeys.includes(k)) || this.prng(target).chance(fault.probability))
    );
  }

  /** Whether the answer to an accepted upload must be lost (socket destroyed). */
  responseLost(target: SandboxTarget, operation: string, ...keys: string[]): boolean {
    const fault = this.applicable(target, operation)?.responseLost;
    return (
      !!fault &&
      (keys.some((k) => fault.invoiceKeys.includes(k)) || this.prng(target).chance(fault.probability))
    );
  }

  pageDelayMs(target: SandboxTarget, operation: string): number {
    return this.applicable(target, operation)?.slowPagination?.perPageMs ?? 0;
  }

  /** Nuonuo: the final status of a submitted order when issuing must fail, else null. */
  issueFailure(operation: string, orderNo: string): '22' | '24' | null {
    const fault = this.applicable('nuonuo', operation)?.issueFailure;
    if (!fault) return null;
    const forced = fault.orderNos[orderNo];
    if (forced) return forced;
    return this.prng('nuonuo').chance(fault.probability) ? fault.status : null;
  }

  /** Retry-After seconds while an "unavailable" outage window is open (no counting, no randomness). */
  unavailable(target: SandboxTarget): number | null {
    const state = this.states.get(target);
    const outage = state?.spec.outage;
    if (!state || !outage || outage.mode !== 'unavailable') return null;
    return this.outageActive(outage, state, this.realNow()) ? outage.retryAfterSeconds : null;
  }

  private applicable(target: SandboxTarget, operation: string): FaultSpec | undefined {
    const spec = this.states.get(target)?.spec;
    if (!spec) return undefined;
    return !spec.operations || spec.operations.includes(operation) ? spec : undefined;
  }

  private prng(target: SandboxTarget): SeededRandom {
    let random = this.random.get(target);
    if (!random) {
      random = new SeededRandom(`${this.seed}:${target}`);
      this.random.set(target, random);
    }
    return random;
  }

  private outageWindow(
    outage: NonNullable<FaultSpec['outage']>,
    setAt: number,
  ): { from: number; to: number } {
    const from = outage.from ? Date.parse(outage.from) : setAt;
    const to = outage.to
      ? Date.parse(outage.to)
      : outage.durationMs
        ? from + outage.durationMs
        : Number.POSITIVE_INFINITY;
    return { from, to };
  }

  private outageActive(outage: NonNullable<FaultSpec['outage']>, state: TargetState, now: number): boolean {
    if (outage.mode === 'refuse') return state.refusing;
    return state.window !== null && now >= state.window.from && now < state.window.to;
  }

  private scheduleOutage(
    target: SandboxTarget,
    state: TargetState,
    outage: NonNullable<FaultSpec['outage']>,
  ): void {
    const now = this.realNow();
    const window = this.outageWindow(outage, now);
    state.window = window;
    if (outage.mode !== 'refuse') return;
    const at = (ms: number, refusing: boolean): void => {
      const delay = ms - now;
      if (delay <= 0) return this.setRefusing(target, state, refusing);
      if (delay < MAX_TIMER_MS)
        state.timers.push(setTimeout(() => this.setRefusing(target, state, refusing), delay).unref());
    };
    if (window.to <= now) return;
    at(window.from, true);
    if (Number.isFinite(window.to)) at(window.to, false);
  }

  private setRefusing(target: SandboxTarget, state: TargetState, refusing: boolean): void {
    if (this.states.get(target) !== state || state.refusing === refusing) return;
    state.refusing = refusing;
    this.emit(target, refusing);
  }

  private emit(target: SandboxTarget, refusing: boolean): void {
    for (const listener of this.listeners) listener(target, refusing);
  }
}
