import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform tokens sealed at rest (issue 17, docs/sync.md "Platform tokens"): AES-256-GCM under SYNC_MASTER_KEYS,
 * one key id / IV / ciphertext / tag per token, in place of the plaintext access_token and refresh_token columns.
 *
 * The plaintext rows are dropped, not encrypted: a token is re-obtained from its platform at the next call (one
 * token request per platform account, within Nuonuo's 50 per 30 days), and dropping needs no key inside a migration
 * nor a second path for starts without keys. The table is dropped and created again rather than altered: DROP COLUMN
 * and DELETE leave the old values in the table's pages until they are rewritten or vacuumed, DROP TABLE removes its
 * file at commit. Backups taken before this migration still hold the plaintext tokens until those expire.
 */
export class SealPlatformTokens1764000000017 implements MigrationInterface {
  name = 'SealPlatformTokens1764000000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE platform_tokens');
    await q.query(`
      CREATE TABLE platform_tokens (
        token_key          text        PRIMARY KEY,
        access_key_id      text        NOT NULL,
        access_iv          bytea       NOT NULL CHECK (octet_length(access_iv) = 12),
        access_ciphertext  bytea       NOT NULL,
        access_tag         bytea       NOT NULL CHECK (octet_length(access_tag) = 16),
        refresh_key_id     text,
        refresh_iv         bytea       CHECK (octet_length(refresh_iv) = 12),
        refresh_ciphertext bytea,
        refresh_tag        bytea       CHECK (octet_length(refresh_tag) = 16),
        expires_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        -- a refresh token is there entirely or not at all
        CHECK ((refresh_key_id IS NULL) = (refresh_iv IS NULL)
           AND (refresh_iv IS NULL) = (refresh_ciphertext IS NULL)
           AND (refresh_ciphertext IS NULL) = (refresh_tag IS NULL))
      )`);
  }

  /** Back to the plaintext columns, empty: sealed tokens are not decrypted into them (they are re-obtained). */
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE platform_tokens');
    await q.query(`
      CREATE TABLE platform_tokens (
        token_key     text        PRIMARY KEY,
        access_token  text        NOT NULL,
        refresh_token text,
        expires_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
  }
}
