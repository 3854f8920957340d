import { randomAlnum, type BaiwangTokenResponse } from '@lib/protocols';
import type { SimClock } from '../core/sim-clock';

export interface BaiwangApp {
  appKey: string;
  appSecret: string;
  username: string;
  password: string;
  /** Taxpayers this app may act for; '*' for any. */
  taxNos: string[] | '*';
}

interface Token {
  appKey: string;
  expiresAtMs: number;
}

export type TokenCheck = 'ok' | 'invalid' | 'expired';

/** Access and refresh tokens of the Baiwang gateway; lifetimes run on the simulated clock. Refresh rotates. */
export class BaiwangTokenStore {
  private access = new Map<string, Token>();
  private refresh = new Map<string, Token>();

  constructor(
    private readonly clock: SimClock,
    private readonly ttl: () => { accessMs: number; refreshMs: number },
  ) {}

  issue(appKey: string): BaiwangTokenResponse {
    const now = this.clock.now();
    const { accessMs, refreshMs } = this.ttl();
    const accessToken = randomAlnum(40);
    const refreshToken = randomAlnum(40);
    this.access.set(accessToken, { appKey, expiresAtMs: now + accessMs });
    this.refresh.set(refreshToken, { appKey, expiresAtMs: now + refreshMs });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: Math.floor(accessMs / 1000),
      refresh_token: refreshToken,
      refresh_expires_in: Math.floor(refreshMs / 1000),
    };
  }

  /** Exchanges a live refresh token (used once) for a new pair; null when unknown, used, expired or foreign. */
  rotate(appKey: string, refreshToken: string): BaiwangTokenResponse | null {
    const token = this.refresh.get(refreshToken);
    if (!token || token.appKey !== appKey || token.expiresAtMs <= this.clock.now()) return null;
    this.refresh.delete(refreshToken);
    return this.issue(appKey);
  }

  check(appKey: string, accessToken: string): TokenCheck {
    const token = this.access.get(accessToken);
    if (!token || token.appKey !== appKey) return 'invalid';
    return token.expiresAtMs <= this.clock.now() ? 'expired' : 'ok';
  }

  clear(): void {
    this.access = new Map();
    this.refresh = new Map();
  }
}
