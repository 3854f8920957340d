import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returningRows } from '@lib/persistence';
import { Role } from '@lib/platform';

/** A signed-in person's session, with its tokens in clear (only this process sees them; the table has ciphertexts). */
export interface Session {
  idHash: string;
  subject: string;
  name: string;
  email: string | null;
  roles: Role[];
  /** 'all', or the clerk's branches. */
  branches: 'all' | string[];
  csrfToken: string;
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  accessExpiresAt: Date;
  createdAt: Date;
  lastSeenAt: Date;
}

/** What the table holds of a session: the tokens sealed (SessionCrypto). */
export interface StoredSession extends Omit<Session, 'accessToken' | 'refreshToken' | 'idToken'> {
  accessToken: Buffer;
  refreshToken: Buffer | null;
  idToken: Buffer | null;
}

export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: Buffer;
  returnTo: string;
  createdAt: Date;
}

interface SessionRow {
  id_hash: string;
  subject: string;
  name: string;
  email: string | null;
  roles: Role[];
  branches: 'all' | string[];
  csrf_token: string;
  access_token: Buffer;
  refresh_token: Buffer | null;
  id_token: Buffer | null;
  access_expires_at: Date;
  created_at: Date;
  last_seen_at: Date;
}

/** The console schema's sessions and login_states tables. */
@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(s: StoredSession): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sessions (id_hash, subject, name, email, roles, branches, csrf_token, access_token, refresh_token,
                             id_token, access_expires_at, created_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        s.idHash,
        s.subject,
        s.name,
        s.email,
        JSON.stringify(s.roles),
        JSON.stringify(s.branches),
        s.csrfToken,
        s.accessToken,
        s.refreshToken,
        s.idToken,
        s.accessExpiresAt,
        s.createdAt,
        s.lastSeenAt,
      ],
    );
  }

  async find(idHash: string): Promise<StoredSession | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM sessions WHERE id_hash = $1`, [
      idHash,
    ])) as SessionRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      idHash: row.id_hash,
      subject: row.subject,
      name: row.name,
      email: row.email,
      roles: row.roles,
      branches: row.branches,
      csrfToken: row.csrf_token,
      accessToken: row.access_token,
      refreshToken: row.refresh_token,
      idToken: row.id_token,
      accessExpiresAt: row.access_expires_at,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  async touch(idHash: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1`,
      [idHash, at],
    );
  }

  async replaceTokens(
    idHash: string,
    tokens: {
      accessToken: Buffer;
      refreshToken: Buffer | null;
      idToken: Buffer | null;
      accessExpiresAt: Date;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET access_token = $2, refresh_token = COALESCE($3, refresh_token), id_token = COALESCE($4, id_token),
              access_expires_at = $5
        WHERE id_hash = $1`,
      [idHash, tokens.accessToken, tokens.refreshToken, tokens.idToken, tokens.accessExpiresAt],
    );
  }

  async delete(idHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
  }

  /** Sessions past either limit, and logins never completed. */
  async prune(idleBefore: Date, createdBefore: Date, loginsBefore: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2`, [
      idleBefore,
      createdBefore,
    ]);
    await this.dataSource.query(`DELETE FROM login_states WHERE created_at < $1`, [loginsBefore]);
  }

  async saveLogin(idHash: string, login: LoginState): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_states (id_hash, state, nonce, code_verifier, return_to, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [idHash, login.state, login.nonce, login.codeVerifier, login.returnTo, login.createdAt],
    );
  }

  /** A login is used once: read and deleted together. */
  async takeLogin(idHash: string): Promise<LoginState | null> {
    const rows = await returningRows<{
      state: string;
      nonce: string;
      code_verifier: Buffer;
      return_to: string;
      created_at: Date;
    }>(
      this.dataSource.manager,
      `DELETE FROM login_states WHERE id_hash = $1 RETURNING state, nonce, code_verifier, return_to, created_at`,
      [idHash],
    );
    const row = rows[0];
    return row
      ? {
          state: row.state,
          nonce: row.nonce,
          codeVerifier: row.code_verifier,
          returnTo: row.return_to,
          createdAt: row.created_at,
        }
      : null;
  }
}
