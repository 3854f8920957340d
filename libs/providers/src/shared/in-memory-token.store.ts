import { StoredToken, TokenStore } from '../ports/token-store.port';

/** A TokenStore for one process (tests, tools). Renewals of one key run one at a time, like PgTokenStore's. */
export class InMemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly locks = new Map<string, Promise<unknown>>();
  fetches = 0;

  get(key: string): Promise<StoredToken | undefined> {
    return Promise.resolve(this.tokens.get(key));
  }

  renew(
    key: string,
    fetch: (current: StoredToken | undefined) => Promise<StoredToken>,
    stillValid: (t: StoredToken) => boolean,
  ): Promise<StoredToken> {
    const run = async (): Promise<StoredToken> => {
      const current = this.tokens.get(key);
      if (current && stillValid(current)) return current;
      this.fetches += 1;
      const fresh = await fetch(current);
      this.tokens.set(key, fresh);
      return fresh;
    };
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.locks.set(key, next.catch(() => undefined));
    return next;
  }

  /** Test helper: forget or replace a key. */
  set(key: string, token: StoredToken | undefined): void {
    if (token) this.tokens.set(key, token);
    else this.tokens.delete(key);
  }
}
