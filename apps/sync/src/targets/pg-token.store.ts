import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK_CLASSES, queryRows } from '@lib/persistence';
import { StoredToken, TokenStore } from '@lib/providers';

/** Namespace of the advisory locks that serialise token renewals. */
const TOKEN_LOCK_CLASS = ADVISORY_LOCK_CLASSES.syncTokenRenewal;

interface TokenRow {
  access_token: string;
  refresh_token: string | null;
  expires_at: Date;
}

/**
 * Platform tokens in sync's schema, shared by every replica. A renewal holds a transaction-scoped
 * advisory lock per token key and re-reads first: when several replicas notice an expired token at
 * once, the first renews it and the others find the fresh one (Nuonuo allows 50 token requests per
 * 30 days, so asking once per replica would burn the quota).
 */
@Injectable()
export class PgTokenStore implements TokenStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(key: string): Promise<StoredToken | undefined> {
    const rows = await queryRows<TokenRow>(this.dataSource.manager, 'SELECT * FROM platform_tokens WHERE token_key = $1', [key]);
    return rows[0] && toToken(rows[0]);
  }

  renew(
    key: string,
    fetch: (current: StoredToken | undefined) => Promise<StoredToken>,
    stillValid: (t: StoredToken) => boolean,
  ): Promise<StoredToken> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [TOKEN_LOCK_CLASS, key]);
      const [row] = await queryRows<TokenRow>(manager, 'SELECT * FROM platform_tokens WHERE token_key = $1', [key]);
      const current = row && toToken(row);
      if (current && stillValid(current)) return current;
      const fresh = await fetch(current);
      await manager.query(
        `INSERT INTO platform_tokens (token_key, access_token, refresh_token, expires_at, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (token_key) DO UPDATE SET access_token = EXCLUDED.access_token, refresh_token = EXCLUDED.refresh_token,
                                               expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
        [key, fresh.accessToken, fresh.refreshToken ?? null, fresh.expiresAt],
      );
      return fresh;
    });
  }
}

function toToken(row: TokenRow): StoredToken {
  return { accessToken: row.access_token, refreshToken: row.refresh_token ?? undefined, expiresAt: new Date(row.expires_at) };
}
