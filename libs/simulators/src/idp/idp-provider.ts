import { errors, Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { IdpStore } from './idp-adapter';
import type { PrivateJwks } from './idp-keys';
import { IDP_TEXTS, pickLanguage } from './idp-locale';
import { contentSecurityPolicy, logoutPage, messagePage, newNonce } from './idp-pages';
import type { IdpPeople } from './idp-people';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Lifetimes in seconds. */
export const IDP_TTL = {
  AccessToken: 10 * MINUTE,
  IdToken: 10 * MINUTE,
  RefreshToken: 8 * HOUR,
  AuthorizationCode: MINUTE,
  Interaction: HOUR,
  Session: 8 * HOUR,
  Grant: 8 * HOUR,
} as const;

/** The scope of the API resource; the OIDC scopes go to the ID token. */
export const IDP_API_SCOPE = 'invoice-sync';

export interface IdpProviderParts {
  issuer: string;
  people: IdpPeople;
  store: IdpStore;
  jwks: PrivateJwks;
  cookieKeys: string[];
  /** `aud` of every access token (SANDBOX_IDP_API_AUDIENCE). */
  audience: string;
  logger: Logger;
}

function html(ctx: KoaContextWithOIDC, status: number, body: string, csp: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.set('content-security-policy', csp);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.body = body;
}

function languageOf(ctx: KoaContextWithOIDC): ReturnType<typeof pickLanguage> {
  let uiLocales: unknown;
  try {
    uiLocales = ctx.oidc?.params?.ui_locales;
  } catch {
    uiLocales = undefined;
  }
  return pickLanguage(uiLocales, ctx.get('accept-language') || undefined);
}

/**
 * The sandbox's OpenID provider: authorization code with PKCE (S256) only, confidential clients, refresh tokens, and
 * JWT access tokens for one API (`audience`) whether or not the client names it with `resource`. Time is the real
 * system clock (never the sandbox's simulated one): the services check `exp` against theirs with jose.
 */
export function createIdpProvider(parts: IdpProviderParts): Provider {
  const { people, audience, logger } = parts;
  const issuerPath = new URL(parts.issuer).pathname.replace(/\/$/, '');

  const configuration: Configuration = {
    adapter: parts.store.factory,
    jwks: parts.jwks,
    cookies: {
      keys: parts.cookieKeys,
      // Cookies are per host, not per port: our own names and path keep clear of the console's on 127.0.0.1.
      names: {
        session: 'sandbox_idp_session',
        interaction: 'sandbox_idp_interaction',
        resume: 'sandbox_idp_resume',
      },
      long: { httpOnly: true, sameSite: 'lax', path: issuerPath || '/' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    scopes: ['openid', 'profile', 'email', 'offline_access', IDP_API_SCOPE],
    claims: {
      openid: ['sub', 'roles', 'branches'],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    // The access token is for the API, never the userinfo endpoint: the ID token carries every claim instead.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { ...IDP_TTL },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    discovery: { ui_locales_supported: ['zh-CN', 'en'], claims_locales_supported: ['zh-CN'] },
    interactions: { url: (_ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const nonce = newNonce();
          html(ctx, 200, logoutPage(languageOf(ctx), form, nonce), contentSecurityPolicy(nonce, true));
        },
        postLogoutSuccessSource: (ctx) => {
          const t = IDP_TEXTS[languageOf(ctx)];
          const nonce = newNonce();
          html(
            ctx,
            200,
            messagePage(languageOf(ctx), t.signOut, t.signedOut, nonce),
            contentSecurityPolicy(nonce),
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) =>
          oneOf ? (oneOf.includes(audience) ? audience : oneOf) : audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== audience)
            throw new errors.InvalidTarget(`unknown resource (this IdP serves ${audience})`);
          return {
            scope: IDP_API_SCOPE,
            audience,
            accessTokenTTL: IDP_TTL.AccessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: (_ctx, sub) => {
      const person = people.find(sub);
      if (!person) return undefined;
      return {
        accountId: person.username,
        claims: () => ({
          sub: person.username,
          name: person.name,
          email: person.email,
          email_verified: true,
          roles: [...person.roles],
          branches: [...person.branches],
        }),
      };
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const person = people.find(token.accountId);
      if (!person) return undefined;
      return {
        name: person.name,
        email: person.email,
        roles: [...person.roles],
        branches: [...person.branches],
      };
    },
    renderError: (ctx, out) => {
      const language = languageOf(ctx);
      const t = IDP_TEXTS[language];
      const nonce = newNonce();
      const detail = out.error_description
        ? `${t.failed} (${out.error}: ${out.error_description})`
        : t.failed;
      html(
        ctx,
        ctx.status >= 400 ? ctx.status : 400,
        messagePage(language, t.errorTitle, detail, nonce),
        contentSecurityPolicy(nonce),
      );
    },
  };

  const provider = new Provider(parts.issuer, configuration);
  provider.on('server_error', (_ctx: unknown, error: unknown) =>
    logger.error({ err: error }, 'idp server error'),
  );
  // Koa would print what escapes oidc-provider's own error handling to stderr; it goes to our log instead.
  provider.silent = true;
  return provider;
}
