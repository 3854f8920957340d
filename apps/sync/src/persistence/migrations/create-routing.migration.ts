import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-taxpayer routing (which platforms besides the authority, failover allowed) and shared platform tokens. */
export class CreateRouting1764000000002 implements MigrationInterface {
  name = 'CreateRouting1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing (
        tax_no         text        PRIMARY KEY,
        platforms      text[]      NOT NULL DEFAULT '{}'
                         CHECK (platforms <@ ARRAY['baiwang', 'nuonuo']::text[]),
        allow_failover boolean     NOT NULL DEFAULT false,
        updated_by     text        NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE platform_tokens (
        token_key     text        PRIMARY KEY,
        access_token  text        NOT NULL,
        refresh_token text,
        expires_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS platform_tokens');
    await q.query('DROP TABLE IF EXISTS routing');
  }
}
