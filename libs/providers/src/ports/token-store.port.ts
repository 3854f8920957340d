/** An access token a platform issued, shared by every replica (Nuonuo allows 50 token requests per 30 days). */
export interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
}

/**
 * Persists platform tokens so replicas share them, and serialises their renewal: `renew` runs the
 * fetch under a lock (e.g. a PostgreSQL advisory lock) and re-reads first, so when several replicas
 * notice an expired token at once, only one asks the platform.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  renew(key: string, fetch: (current: StoredToken | undefined) => Promise<StoredToken>, stillValid: (t: StoredToken) => boolean): Promise<StoredToken>;
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');
