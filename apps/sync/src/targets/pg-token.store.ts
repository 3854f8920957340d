import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isAppError } from '@lib/common';
import { parseMasterKeys, PlatformErrorCode, SealedValue, SealingCipher } from '@lib/platform';
import { StoredToken, TokenStore } from '@lib/providers';
import type { SyncConfig } from '../sync.config';
import { SYNC_CONFIG } from '../sync.tokens';
import { PlatformTokenRepository, SealedTokenRow } from './platform-token.repository';

/** The variables the store reads (the whole SyncConfig in the service). */
export type TokenKeysConfig = Pick<SyncConfig, 'SYNC_MASTER_KEYS' | 'SYNC_ACTIVE_KEY_ID'>;

type TokenRole = 'access' | 'refresh';

/**
 * The AAD of a token: its key and which of the two it is, so a ciphertext moved to another key's row, or from the
 * refresh columns to the access ones, does not decrypt.
 */
const aadOf = (key: string, role: TokenRole) => `${key}#${role}`;

/** `baiwang:<appKey>` → `baiwang`: logs and errors name the platform, never the app key (a credential). */
const platformOf = (key: string) => key.split(':')[0];

/**
 * Platform tokens in sync's schema, shared by every replica, sealed with AES-256-GCM under SYNC_MASTER_KEYS (the
 * shared cipher of @lib/platform): no access or refresh token is ever written in clear.
 *
 * A renewal holds a transaction-scoped advisory lock per token key and re-reads first: when several replicas notice
 * an expired token at once, the first renews it and the others find the fresh one (Nuonuo allows 50 token requests per
 * 30 days, so asking once per replica would burn the quota). A renewal seals under SYNC_ACTIVE_KEY_ID, so a token
 * sealed under an older key moves to the active one at its next renewal. A row that cannot be opened (its key id is
 * no longer configured, or it was tampered with) is logged and treated as absent: the token is obtained again and the
 * row replaced, so a lost key costs one token request per platform account, never a crash loop.
 */
@Injectable()
export class PgTokenStore implements TokenStore, OnApplicationBootstrap {
  private readonly logger = new Logger('PlatformTokens');
  private readonly cipher: SealingCipher;

  constructor(
    private readonly tokens: PlatformTokenRepository,
    @Inject(SYNC_CONFIG) config: TokenKeysConfig,
  ) {
    const parsed = parseMasterKeys(config.SYNC_MASTER_KEYS, config.SYNC_ACTIVE_KEY_ID, 'SYNC_ACTIVE_KEY_ID');
    // loadSyncConfig refuses a malformed ring before the service starts; this guards direct construction.
    if (!parsed.ok) throw new Error(`SYNC_MASTER_KEYS: ${parsed.problem}`);
    this.cipher = new SealingCipher(parsed.ring, {
      keysVariable: 'SYNC_MASTER_KEYS',
      contents: 'platform tokens',
      describe: (aad) => {
        const role = aad.slice(aad.lastIndexOf('#') + 1);
        return `the ${role} token of ${platformOf(aad)}`;
      },
    });
  }

  onApplicationBootstrap(): void {
    if (!this.cipher.configured)
      this.logger.warn(
        'SYNC_MASTER_KEYS is not set: platform tokens can be neither stored nor read, so calls to platforms that need ' +
          'one (Baiwang, Nuonuo) fail with SECRET_STORE_DISABLED',
      );
  }

  async get(key: string): Promise<StoredToken | undefined> {
    this.cipher.assertConfigured();
    const row = await this.tokens.find(key);
    return row && this.opened(key, row);
  }

  async renew(
    key: string,
    fetch: (current: StoredToken | undefined) => Promise<StoredToken>,
    stillValid: (t: StoredToken) => boolean,
  ): Promise<StoredToken> {
    // Before asking the platform: a token that could not be stored would cost a request of the quota for nothing.
    this.cipher.assertConfigured();
    return this.tokens.whileRenewing(key, async (manager) => {
      const row = await this.tokens.find(key, manager);
      const current = row && this.opened(key, row);
      if (current && stillValid(current)) return current;
      const fresh = await fetch(current);
      await this.store(manager, key, fresh);
      return fresh;
    });
  }

  private async store(manager: EntityManager, key: string, token: StoredToken): Promise<void> {
    await this.tokens.save(manager, key, {
      access: this.seal(key, 'access', token.accessToken),
      refresh: token.refreshToken === undefined ? undefined : this.seal(key, 'refresh', token.refreshToken),
      expiresAt: token.expiresAt,
    });
  }

  private seal(key: string, role: TokenRole, token: string): SealedValue {
    return this.cipher.seal(aadOf(key, role), Buffer.from(token, 'utf8'));
  }

  /** The row's tokens, or undefined (logged) when they cannot be opened: the caller then obtains a new one. */
  private opened(key: string, row: SealedTokenRow): StoredToken | undefined {
    try {
      const accessToken = this.open(key, 'access', {
        keyId: row.access_key_id,
        iv: row.access_iv,
        ciphertext: row.access_ciphertext,
        tag: row.access_tag,
      });
      const refreshToken =
        row.refresh_key_id === null
          ? undefined
          : this.open(key, 'refresh', {
              keyId: row.refresh_key_id,
              iv: row.refresh_iv as Buffer,
              ciphertext: row.refresh_ciphertext as Buffer,
              tag: row.refresh_tag as Buffer,
            });
      return { accessToken, refreshToken, expiresAt: new Date(row.expires_at) };
    } catch (error) {
      if (!isAppError(error) || error.code === PlatformErrorCode.SECRET_STORE_DISABLED) throw error;
      this.logger.error(
        { platform: platformOf(key), keyId: row.access_key_id, code: error.code },
        `a stored ${platformOf(key)} token cannot be opened (${error.message}): treated as absent, a new one is ` +
          'obtained and sealed under SYNC_ACTIVE_KEY_ID (was its key removed from SYNC_MASTER_KEYS too early?)',
      );
      return undefined;
    }
  }

  private open(key: string, role: TokenRole, sealed: SealedValue): string {
    return this.cipher.open(aadOf(key, role), sealed).toString('utf8');
  }
}
