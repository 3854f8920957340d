import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@lib/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG, SESSION_COOKIE } from '../console.tokens';
import { sameSecret } from '../session/session-crypto';
import { notSignedIn, SessionService } from '../session/session.service';
import { Session } from '../session/session.repository';
import { readCookie } from './cookies';
import { ConsoleErrorCode } from '../console-error-codes';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The checks every /api and /auth route makes: who is signed in, and for a change, that the page itself asked. */
@Injectable()
export class SessionGate {
  private readonly origin: string;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly sessions: SessionService,
  ) {
    this.origin = new URL(config.CONSOLE_PUBLIC_URL).origin;
  }

  /** The request's live session, or null (cached on the request: one lookup however many callers ask). */
  async signedIn(req: Request): Promise<Session | null> {
    const cached = (req as { consoleSession?: Session | null }).consoleSession;
    if (cached !== undefined) return cached;
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE));
    (req as { consoleSession?: Session | null }).consoleSession = session;
    return session;
  }

  async require(req: Request): Promise<Session> {
    const session = await this.signedIn(req);
    if (!session) throw notSignedIn();
    return session;
  }

  /** A change needs the session's CSRF token in X-CSRF-Token and, when the browser names one, this origin. */
  checkCsrf(req: Request, session: Session): void {
    if (!UNSAFE_METHODS.has(req.method.toUpperCase())) return;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== this.origin)
      throw new AppError(
        ConsoleErrorCode.ORIGIN_NOT_ALLOWED,
        'forbidden',
        'The request comes from another site',
      );
    const given = req.headers['x-csrf-token'];
    if (!sameSecret(Array.isArray(given) ? given[0] : given, session.csrfToken))
      throw new AppError(
        ConsoleErrorCode.CSRF_TOKEN_INVALID,
        'forbidden',
        'The request lacks the session’s CSRF token',
      );
  }
}
