import { randomAlnum } from '@lib/protocols';
import type { SimClock } from '../core/sim-clock';

export interface NuonuoApp {
  appKey: string;
  appSecret: string;
  /** Taxpayers (userTax) this app may act for; '*' for any. */
  taxNos: string[] | '*';
}

export interface NuonuoTokenSettings {
  ttlMs: number;
  /** At most `limit` tokens per `windowMs` per appKey (simulated time). */
  quota: { limit: number; windowMs: number };
}

/**
 * Nuonuo access tokens (client_credentials): each lives `ttlMs` of simulated time; earlier tokens stay
 * valid until they expire. The platform grants only a few tokens per month, so clients must cache them.
 */
export class NuonuoTokenStore {
  private tokens = new Map<string, { appKey: string; expiresAtMs: number }>();
  private grants = new Map<string, number[]>();

  constructor(
    private readonly clock: SimClock,
    private readonly settings: () => NuonuoTokenSettings,
  ) {}

  /** A new token, or null when the app's quota for the window is used up. */
  issue(appKey: string): { token: string; expiresInSeconds: number } | null {
    const now = this.clock.now();
    const { ttlMs, quota } = this.settings();
    const recent = (this.grants.get(appKey) ?? []).filter((at) => at > now - quota.windowMs);
    if (recent.length >= quota.limit) {
      this.grants.set(appKey, recent);
      return null;
    }
    recent.push(now);
    this.grants.set(appKey, recent);
    const token = randomAlnum(32);
    this.tokens.set(token, { appKey, expiresAtMs: now + ttlMs });
    return { token, expiresInSeconds: Math.floor(ttlMs / 1000) };
  }

  check(appKey: string, token: string): 'ok' | 'invalid' | 'expired' {
    const entry = this.tokens.get(token);
    if (!entry || entry.appKey !== appKey) return 'invalid';
    return entry.expiresAtMs <= this.clock.now() ? 'expired' : 'ok';
  }

  clear(): void {
    this.tokens = new Map();
    this.grants = new Map();
  }
}
