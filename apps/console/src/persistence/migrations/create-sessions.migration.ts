import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's sessions and the logins under way. A session row is found by the SHA-256 of the cookie's random id
 * (the id itself is never stored); its tokens are AES-256-GCM ciphertexts (SessionCrypto). A login row holds the
 * state, nonce and PKCE verifier between the redirect to the IdP and its callback, for a few minutes.
 */
export class CreateConsoleSessions1766100000000 implements MigrationInterface {
  name = 'CreateConsoleSessions1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id_hash           text        PRIMARY KEY,
        subject           text        NOT NULL,
        name              text        NOT NULL,
        email             text,
        roles             jsonb       NOT NULL,
        branches          jsonb       NOT NULL,
        csrf_token        text        NOT NULL,
        access_token      bytea       NOT NULL,
        refresh_token     bytea,
        id_token          bytea,
        access_expires_at timestamptz NOT NULL,
        created_at        timestamptz NOT NULL,
        last_seen_at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at)`);
    await q.query(`
      CREATE TABLE login_states (
        id_hash       text        PRIMARY KEY,
        state         text        NOT NULL,
        nonce         text        NOT NULL,
        code_verifier bytea       NOT NULL,
        return_to     text        NOT NULL,
        created_at    timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_states`);
    await q.query(`DROP TABLE sessions`);
  }
}
