import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCK_CLASSES, queryRows } from '@lib/persistence';
import { SealedValue } from '@lib/platform';

/** Namespace of the advisory locks that serialise token renewals. */
const TOKEN_LOCK_CLASS = ADVISORY_LOCK_CLASSES.syncTokenRenewal;

const SELECT_TOKEN = 'SELECT * FROM platform_tokens WHERE token_key = $1';

/** A row of `platform_tokens`: the access token and, when the platform gave one, the refresh token, both sealed. */
export interface SealedTokenRow {
  access_key_id: string;
  access_iv: Buffer;
  access_ciphertext: Buffer;
  access_tag: Buffer;
  refresh_key_id: string | null;
  refresh_iv: Buffer | null;
  refresh_ciphertext: Buffer | null;
  refresh_tag: Buffer | null;
  expires_at: Date;
}

/** What is written for one token key: only sealed values, never a token in clear. */
export interface SealedToken {
  access: SealedValue;
  refresh: SealedValue | undefined;
  expiresAt: Date;
}

/** `platform_tokens`, shared by every replica: rows as stored, and the lock under which one key is renewed. */
@Injectable()
export class PlatformTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The row of `key`, read in `manager`'s transaction (outside any by default). */
  async find(
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SealedTokenRow | undefined> {
    const [row] = await queryRows<SealedTokenRow>(manager, SELECT_TOKEN, [key]);
    return row;
  }

  /**
   * Runs `work` in a transaction that holds the renewal lock of `key` (transaction-scoped, so released at its end):
   * replicas renewing the same key run one after the other.
   */
  whileRenewing<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [TOKEN_LOCK_CLASS, key]);
      return work(manager);
    });
  }

  /** Inserts or replaces the row of `key`. */
  async save(manager: EntityManager, key: string, token: SealedToken): Promise<void> {
    const { access, refresh } = token;
    await manager.query(
      `INSERT INTO platform_tokens (token_key, access_key_id, access_iv, access_ciphertext, access_tag,
                                    refresh_key_id, refresh_iv, refresh_ciphertext, refresh_tag, expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (token_key) DO UPDATE SET
         access_key_id = EXCLUDED.access_key_id, access_iv = EXCLUDED.access_iv,
         access_ciphertext = EXCLUDED.access_ciphertext, access_tag = EXCLUDED.access_tag,
         refresh_key_id = EXCLUDED.refresh_key_id, refresh_iv = EXCLUDED.refresh_iv,
         refresh_ciphertext = EXCLUDED.refresh_ciphertext, refresh_tag = EXCLUDED.refresh_tag,
         expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
      [
        key,
        access.keyId,
        access.iv,
        access.ciphertext,
        access.tag,
        refresh?.keyId ?? null,
        refresh?.iv ?? null,
        refresh?.ciphertext ?? null,
        refresh?.tag ?? null,
        token.expiresAt,
      ],
    );
  }
}
