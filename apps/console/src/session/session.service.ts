import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, Clock, CLOCK, ID_SOURCE, IdSource } from '@lib/common';
import { TokenSet, OidcClient } from '../auth/oidc-client';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { PersonClaims } from './person-claims';
import { hashSessionId, newCsrfToken, newSessionId, SessionCrypto } from './session-crypto';
import { sessionAge, SessionLimits } from './session-limits';
import { Session, SessionRepository, StoredSession } from './session.repository';
import { ConsoleErrorCode } from '../console-error-codes';

/** An access token this close to its expiry (real time) is refreshed before it is sent. */
const REFRESH_MARGIN_MS = 60_000;

export const notSignedIn = () =>
  new AppError(ConsoleErrorCode.NOT_SIGNED_IN, 'unauthorized', 'Sign in to continue');

/**
 * Sessions: created at the callback, looked up by the cookie's id (stored hashed), ended by either limit (injected
 * clock), by logout, or when the refresh token stops working. Tokens are sealed before they reach the table.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');
  private readonly crypto: SessionCrypto;
  readonly limits: SessionLimits;
  /** One refresh at a time per session (a rotating refresh token must not be spent twice). */
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: SessionRepository,
    private readonly oidc: OidcClient,
    private readonly claims: PersonClaims,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {
    this.crypto = new SessionCrypto(config.CONSOLE_SESSION_KEY, ids);
    this.limits = {
      idleMs: config.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      maxMs: config.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
    };
  }

  /** Starts a session for these tokens; returns the id for the cookie (never stored as such). */
  async create(tokens: TokenSet): Promise<string> {
    const { principal, email } = await this.claims.personOf(tokens);
    const id = newSessionId(this.ids);
    const idHash = hashSessionId(id);
    const now = this.clock.now();
    await this.repository.insert({
      idHash,
      subject: principal.subject,
      name: principal.name,
      email,
      roles: [...principal.roles],
      branches: principal.scope.all ? 'all' : [...principal.scope.branches],
      csrfToken: newCsrfToken(this.ids),
      ...this.sealTokens(idHash, tokens),
      accessExpiresAt: tokens.accessExpiresAt,
      createdAt: now,
      lastSeenAt: now,
    });
    return id;
  }

  /** The live session of this cookie id, marked as used now; null (and removed) when it has passed a limit. */
  async resolve(id: string | undefined): Promise<Session | null> {
    if (!id) return null;
    const idHash = hashSessionId(id);
    const stored = await this.repository.find(idHash);
    if (!stored) return null;
    const now = this.clock.now();
    if (sessionAge(stored, now, this.limits) !== 'alive') {
      await this.repository.delete(idHash);
      return null;
    }
    await this.repository.touch(idHash, now);
    try {
      return this.open(stored);
    } catch {
      // Sealed under another key (CONSOLE_SESSION_KEY rotated): the person signs in again.
      await this.repository.delete(idHash);
      return null;
    }
  }

  /** The person's access token for a service call, refreshed when near expiry; the session ends if that fails. */
  async accessToken(session: Session): Promise<string> {
    if (session.accessExpiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    const running = this.refreshing.get(session.idHash);
    if (running) return running;
    const refresh = this.refresh(session).finally(() => this.refreshing.delete(session.idHash));
    this.refreshing.set(session.idHash, refresh);
    return refresh;
  }

  async destroy(session: Session): Promise<void> {
    await this.repository.delete(session.idHash);
  }

  private async refresh(session: Session): Promise<string> {
    if (!session.refreshToken) {
      await this.repository.delete(session.idHash);
      throw notSignedIn();
    }
    let tokens: TokenSet;
    try {
      tokens = await this.oidc.refresh(session.refreshToken);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'unavailable') throw error;
      this.logger.log({ subject: session.subject }, 'refresh refused; session ended');
      await this.repository.delete(session.idHash);
      throw notSignedIn();
    }
    const sealed = this.sealTokens(session.idHash, tokens);
    await this.repository.replaceTokens(session.idHash, {
      ...sealed,
      accessExpiresAt: tokens.accessExpiresAt,
    });
    Object.assign(session, {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? session.refreshToken,
      idToken: tokens.idToken ?? session.idToken,
      accessExpiresAt: tokens.accessExpiresAt,
    });
    return tokens.accessToken;
  }

  private sealTokens(idHash: string, tokens: TokenSet) {
    return {
      accessToken: this.crypto.seal(tokens.accessToken, idHash),
      refreshToken: tokens.refreshToken === null ? null : this.crypto.seal(tokens.refreshToken, idHash),
      idToken: tokens.idToken === null ? null : this.crypto.seal(tokens.idToken, idHash),
    };
  }

  private open(stored: StoredSession): Session {
    const { idHash } = stored;
    return {
      ...stored,
      accessToken: this.crypto.open(stored.accessToken, idHash),
      refreshToken: stored.refreshToken ? this.crypto.open(stored.refreshToken, idHash) : null,
      idToken: stored.idToken ? this.crypto.open(stored.idToken, idHash) : null,
    };
  }

  /** Keeps the table small: sessions past either limit and abandoned logins. */
  async prune(): Promise<void> {
    const now = this.clock.now().getTime();
    await this.repository.prune(
      new Date(now - this.limits.idleMs),
      new Date(now - this.limits.maxMs),
      new Date(now - 10 * 60_000),
    );
  }
}
