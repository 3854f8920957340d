import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AppError, sleep } from '@lib/common';
import { ReadinessIndicator } from '@lib/observability';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { ConsoleErrorCode } from '../console-error-codes';

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** Real time (the IdP's clock), not the injected one. */
  accessExpiresAt: Date;
  /** The ID token's claims (checked by openid-client), when one came. */
  idClaims: Record<string, unknown> | null;
}

export interface LoginRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

const DISCOVERY_ATTEMPTS = 3;

const idpUnavailable = (cause: unknown) =>
  new AppError(
    ConsoleErrorCode.IDP_UNAVAILABLE,
    'unavailable',
    'The identity provider could not be reached; try again shortly',
    {
      cause,
      retryAfterSeconds: 5,
    },
  );

/**
 * The console's side of OpenID Connect (openid-client): authorization code with PKCE S256, state and nonce; refresh;
 * RP-initiated logout. Discovery is fetched lazily, with a deadline and a few tries, so the console starts (and
 * answers its probes) while the IdP is still coming up; a failed discovery is tried again on the next use.
 */
@Injectable()
export class OidcClient implements ReadinessIndicator {
  readonly name = 'idp';
  private readonly logger = new Logger('Oidc');
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  get callbackUrl(): string {
    return `${this.config.CONSOLE_PUBLIC_URL}/auth/callback`;
  }

  async check(): Promise<void> {
    await this.discovered();
  }

  /** The IdP's origin (the CSP's form-action must allow posting the login form there, and the logout redirect). */
  get issuerOrigin(): string {
    return new URL(this.config.OIDC_ISSUER).origin;
  }

  async loginRequest(options: { english: boolean }): Promise<LoginRequest> {
    const config = await this.discovered();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: this.callbackUrl,
      scope: this.config.OIDC_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      resource: this.config.AUTH_AUDIENCE,
    };
    if (options.english) parameters.ui_locales = 'en';
    return { url: oidc.buildAuthorizationUrl(config, parameters).href, state, nonce, codeVerifier };
  }

  /** Exchanges the code of the callback URL; checks state, nonce and the PKCE verifier. */
  async exchange(
    callback: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<TokenSet> {
    const config = await this.discovered();
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callback,
        {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        },
        { resource: this.config.AUTH_AUDIENCE },
      );
      return tokenSetOf(tokens);
    } catch (error) {
      throw this.grantError(
        error,
        ConsoleErrorCode.LOGIN_FAILED,
        'The sign-in could not be completed; sign in again',
      );
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const config = await this.discovered();
    try {
      const tokens = await oidc.refreshTokenGrant(config, refreshToken, {
        resource: this.config.AUTH_AUDIENCE,
      });
      return tokenSetOf(tokens);
    } catch (error) {
      throw this.grantError(error, ConsoleErrorCode.REFRESH_FAILED, 'The session could not be renewed');
    }
  }

  /** Where the browser goes to end the IdP's session too; null when the IdP offers no end_session_endpoint. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    const config = await this.discovered().catch(() => null);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    const parameters: Record<string, string> = {
      post_logout_redirect_uri: `${this.config.CONSOLE_PUBLIC_URL}/`,
      client_id: this.config.OIDC_CLIENT_ID,
    };
    if (idToken) parameters.id_token_hint = idToken;
    return oidc.buildEndSessionUrl(config, parameters).href;
  }

  /** The issuer's jwks_uri (for checking the access tokens' claims). */
  async jwksUri(): Promise<string> {
    if (this.config.AUTH_JWKS_URL) return this.config.AUTH_JWKS_URL;
    const uri = (await this.discovered()).serverMetadata().jwks_uri;
    if (!uri) throw idpUnavailable(new Error('the IdP publishes no jwks_uri'));
    return uri;
  }

  private discovered(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      this.configuration = this.discover();
      this.configuration.catch(() => (this.configuration = null));
    }
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const timeoutSeconds = Math.max(1, Math.ceil(this.config.OIDC_TIMEOUT_MS / 1000));
    let lastError: unknown;
    for (let attempt = 1; attempt <= DISCOVERY_ATTEMPTS; attempt += 1) {
      try {
        const configuration = await oidc.discovery(
          new URL(this.config.OIDC_ISSUER),
          this.config.OIDC_CLIENT_ID,
          this.config.OIDC_CLIENT_SECRET || undefined,
          undefined,
          {
            timeout: timeoutSeconds,
            execute: this.config.allowHttpIdp ? [oidc.allowInsecureRequests] : [],
          },
        );
        configuration.timeout = timeoutSeconds;
        return configuration;
      } catch (error) {
        lastError = error;
        this.logger.warn(
          { issuer: this.config.OIDC_ISSUER, attempt, reason: String(error) },
          'IdP discovery failed',
        );
        if (attempt < DISCOVERY_ATTEMPTS) await sleep(250 * attempt);
      }
    }
    throw idpUnavailable(lastError);
  }

  private grantError(error: unknown, code: ConsoleErrorCode, message: string): AppError {
    if (error instanceof AppError) return error;
    // The IdP answered and said no (a bad or used code, a revoked refresh token): the person signs in again.
    if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError)
      return new AppError(code, 'unauthorized', message, { cause: error });
    if (
      error instanceof Error &&
      /state|nonce|pkce|code_verifier|iss/i.test(error.message) &&
      !(error instanceof TypeError)
    )
      return new AppError(code, 'unauthorized', message, { cause: error });
    return idpUnavailable(error);
  }
}

function tokenSetOf(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): TokenSet {
  const expiresIn = tokens.expiresIn() ?? 300;
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    idToken: tokens.id_token ?? null,
    accessExpiresAt: new Date(Date.now() + expiresIn * 1000),
    idClaims: (tokens.claims() as Record<string, unknown> | undefined) ?? null,
  };
}
