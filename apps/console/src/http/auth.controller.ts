import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError, Clock, CLOCK, ID_SOURCE, IdSource } from '@lib/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG, LOGIN_COOKIE, SESSION_COOKIE } from '../console.tokens';
import { clearCookie, readCookie, setCookie } from './cookies';
import { SessionGate } from './session-gate';
import { hashSessionId, newSessionId, SessionCrypto } from '../session/session-crypto';
import { SessionRepository } from '../session/session.repository';
import { SessionService } from '../session/session.service';
import { OidcClient } from '../auth/oidc-client';
import { safeReturnTo } from '../auth/return-to';
import { ConsoleErrorCode } from '../console-error-codes';

/** How long a login may take between the redirect to the IdP and its callback. */
const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Sign-in (authorization code + PKCE against the IdP) and sign-out. The state, nonce and PKCE verifier stay on the
 * server (login_states, verifier sealed); the browser holds only a random id for them in a short-lived cookie.
 */
@ApiExcludeController()
@Controller('auth')
export class AuthController {
  private readonly crypto: SessionCrypto;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly oidc: OidcClient,
    private readonly sessions: SessionService,
    private readonly repository: SessionRepository,
    private readonly gate: SessionGate,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {
    this.crypto = new SessionCrypto(config.CONSOLE_SESSION_KEY, ids);
  }

  @Get('login')
  async login(
    @Query('returnTo') returnTo: unknown,
    @Query('lang') lang: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const request = await this.oidc.loginRequest({ english: lang === 'en' });
    const id = newSessionId(this.ids);
    const idHash = hashSessionId(id);
    await this.repository.saveLogin(idHash, {
      state: request.state,
      nonce: request.nonce,
      codeVerifier: this.crypto.seal(request.codeVerifier, idHash),
      returnTo: safeReturnTo(returnTo),
      createdAt: this.clock.now(),
    });
    setCookie(res, LOGIN_COOKIE, id, {
      secure: this.config.cookieSecure,
      path: '/auth',
      maxAgeSeconds: LOGIN_TTL_MS / 1000,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, request.url);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const id = readCookie(req, LOGIN_COOKIE);
    clearCookie(res, LOGIN_COOKIE, { secure: this.config.cookieSecure, path: '/auth' });
    const idHash = id ? hashSessionId(id) : null;
    const login = idHash ? await this.repository.takeLogin(idHash) : null;
    if (!login || !idHash || this.clock.now().getTime() - login.createdAt.getTime() > LOGIN_TTL_MS)
      throw new AppError(
        ConsoleErrorCode.LOGIN_EXPIRED,
        'unauthorized',
        'The sign-in took too long or was not started here; sign in again',
      );
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const tokens = await this.oidc.exchange(new URL(`${this.oidc.callbackUrl}${query}`), {
      state: login.state,
      nonce: login.nonce,
      codeVerifier: this.crypto.open(login.codeVerifier, idHash),
    });
    const sessionId = await this.sessions.create(tokens);
    setCookie(res, SESSION_COOKIE, sessionId, {
      secure: this.config.cookieSecure,
      maxAgeSeconds: this.config.CONSOLE_SESSION_MAX_HOURS * 3600,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, login.returnTo);
  }

  @Post('logout')
  @HttpCode(200)
  async logout(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ redirect: string }> {
    const session = await this.gate.require(req);
    this.gate.checkCsrf(req, session);
    await this.sessions.destroy(session);
    clearCookie(res, SESSION_COOKIE, { secure: this.config.cookieSecure });
    const endSession = await this.oidc.endSessionUrl(session.idToken);
    return { redirect: endSession ?? '/' };
  }
}
