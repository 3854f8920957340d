import { Clock } from '@lib/common';
import { StoredToken, TokenStore } from '../ports/token-store.port';

export type TokenFetch = (current: StoredToken | undefined) => Promise<StoredToken>;

/**
 * One platform access token, kept in the TokenStore that every replica shares and cached in memory.
 * A token within `refreshMarginMs` of its expiry counts as stale, so it is renewed before the platform
 * refuses it. Renewals are coalesced in this process and serialised across replicas by the store, so
 * the platform is asked once however many calls notice at the same time.
 */
export class SharedToken {
  private cached?: StoredToken;
  private renewing?: Promise<StoredToken>;
  /** Lifetime of the token this process fetched last: the margin never exceeds half of it. */
  private lastFetched?: { accessToken: string; lifetimeMs: number };

  constructor(
    private readonly key: string,
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly refreshMarginMs: number,
    private readonly fetch: TokenFetch,
  ) {}

  async current(): Promise<StoredToken> {
    if (this.cached && this.fresh(this.cached)) return this.cached;
    if (!this.renewing) {
      const stored = await this.store.get(this.key);
      if (stored && this.fresh(stored)) return (this.cached = stored);
    }
    return this.renew((t) => this.fresh(t));
  }

  /** The platform refused `rejected` (expired or unknown to it): take the replica's newer one, or get another. */
  replace(rejected: string): Promise<StoredToken> {
    if (this.cached?.accessToken === rejected) this.cached = undefined;
    return this.renew((t) => t.accessToken !== rejected && this.fresh(t));
  }

  private renew(stillValid: (t: StoredToken) => boolean): Promise<StoredToken> {
    this.renewing ??= this.store
      .renew(this.key, (current) => this.fetchAndNote(current), stillValid)
      .then((token) => (this.cached = token))
      .finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async fetchAndNote(current: StoredToken | undefined): Promise<StoredToken> {
    const fetched = await this.fetch(current);
    this.lastFetched = {
      accessToken: fetched.accessToken,
      lifetimeMs: fetched.expiresAt.getTime() - this.clock.now().getTime(),
    };
    return fetched;
  }

  private fresh(token: StoredToken): boolean {
    const lifetime = this.lastFetched?.accessToken === token.accessToken ? this.lastFetched.lifetimeMs : Infinity;
    const margin = Math.min(this.refreshMarginMs, lifetime / 2);
    return token.expiresAt.getTime() - margin > this.clock.now().getTime();
  }
}
