import { z } from 'zod';
import { authEnvShape } from '@lib/platform';
import {
  DEFAULT_DATABASE_URL,
  envBool,
  envInt,
  envLogLevel,
  envString,
  envUrl,
  loadConfig,
} from '@lib/common';

/** The development default of CONSOLE_SESSION_KEY: refused in production. */
export const DEV_SESSION_KEY = 'dev-console-session-key-change-me-0123456789';
const MIN_SESSION_KEY_LENGTH = 32;
const MAX_CLOCK_OFFSET_MS = 20 * 366 * 86_400_000;

/** Everything the console (the finance staff's web console and its backend-for-frontend) reads; docs/console.md lists them. */
const consoleEnvObject = z.object({
  NODE_ENV: envString('development'),
  CONSOLE_PORT: envInt(3004, 0, 65535),
  HTTP_HOST: envString('0.0.0.0'),
  /** The URL people open; the IdP redirects back to `<this>/auth/callback`. Unset: http://127.0.0.1:<port>. */
  CONSOLE_PUBLIC_URL: envString(''),
  /** The IdP's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
  OIDC_ISSUER: envString('http://127.0.0.1:7100/idp').pipe(z.url({ message: 'must be a URL' })),
  OIDC_CLIENT_ID: envString('invoice-console'),
  OIDC_CLIENT_SECRET: envString(''),
  /** Scopes asked for at login. */
  OIDC_SCOPE: envString('openid profile email offline_access'),
  /** Bound on each call to the IdP (discovery, token, refresh). */
  OIDC_TIMEOUT_MS: envInt(10_000, 100, 120_000),
  /** The `resource` asked for: the audience of the access tokens the services accept. */
  AUTH_AUDIENCE: envString('urn:invoice-sync:api'),
  /** How the access token's claims become roles, branches and a name: the same AUTH_* settings the services read. */
  AUTH_ROLES_CLAIM: authEnvShape.AUTH_ROLES_CLAIM,
  AUTH_BRANCHES_CLAIM: authEnvShape.AUTH_BRANCHES_CLAIM,
  AUTH_NAME_CLAIM: authEnvShape.AUTH_NAME_CLAIM,
  AUTH_ROLE_MAP: authEnvShape.AUTH_ROLE_MAP,
  AUTH_CLOCK_TOLERANCE_SECONDS: authEnvShape.AUTH_CLOCK_TOLERANCE_SECONDS,
  /** The IdP's JWKS URL; unset: from its discovery document. */
  AUTH_JWKS_URL: authEnvShape.AUTH_JWKS_URL,
  RECONCILE_URL: envUrl('http://127.0.0.1:3002'),
  GATEWAY_URL: envUrl('http://127.0.0.1:3000'),
  SYNC_URL: envUrl('http://127.0.0.1:3001'),
  NOTIFIER_URL: envUrl('http://127.0.0.1:3003'),
  /** Deadline of one proxied call to a service. */
  CONSOLE_UPSTREAM_TIMEOUT_MS: envInt(10_000, 100, 300_000),
  /** Largest request body passed on to a service. */
  CONSOLE_BODY_LIMIT: envString('64kb'),
  DATABASE_URL: envUrl(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: envInt(5, 1, 200),
  DB_SCHEMA: envString('console').pipe(z.string().regex(/^[a-z_][a-z0-9_]*$/)),
  /** Encrypts the tokens kept in the session table (AES-256-GCM); at least 32 characters; the dev default is refused in production. */
  CONSOLE_SESSION_KEY: envString(DEV_SESSION_KEY),
  CONSOLE_SESSION_IDLE_MINUTES: envInt(30, 1, 24 * 60),
  CONSOLE_SESSION_MAX_HOURS: envInt(12, 1, 24 * 30),
  /** Unset: true when CONSOLE_PUBLIC_URL is https. */
  CONSOLE_COOKIE_SECURE: envString('')
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['', 'true', 'false'], { message: 'must be true or false' })),
  /** The single-page app's build (index.html and assets/). */
  CONSOLE_WEB_DIR: envString('dist/console-web'),
  METRICS_TOKEN: envString(''),
  LOG_LEVEL: envLogLevel(),
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0, 600_000),
  /** As in every service: the clock reads system time plus this (session limits follow it). */
  CLOCK_OFFSET_MS: envInt(0, -MAX_CLOCK_OFFSET_MS, MAX_CLOCK_OFFSET_MS),
  /** Trust X-Forwarded-* from this many proxies in front (0: none). */
  CONSOLE_TRUST_PROXY_HOPS: envInt(0, 0, 10),
  /** Development only: accept an http:// IdP (the sandbox). Always off in production. */
  OIDC_ALLOW_HTTP: envBool(true),
});

type ConsoleEnv = z.infer<typeof consoleEnvObject>;

export const consoleEnvSchema = consoleEnvObject
  .superRefine((env, ctx) => {
    const problem = (path: keyof ConsoleEnv, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.CONSOLE_SESSION_KEY.length < MIN_SESSION_KEY_LENGTH)
      problem('CONSOLE_SESSION_KEY', `must be at least ${MIN_SESSION_KEY_LENGTH} characters`);
    if (env.CONSOLE_PUBLIC_URL !== '' && !z.url().safeParse(env.CONSOLE_PUBLIC_URL).success)
      problem('CONSOLE_PUBLIC_URL', 'must be a URL');
    if (env.NODE_ENV !== 'production') return;
    if (env.CONSOLE_SESSION_KEY === DEV_SESSION_KEY)
      problem('CONSOLE_SESSION_KEY', 'is the development default in production');
    if (env.OIDC_CLIENT_SECRET === '') problem('OIDC_CLIENT_SECRET', 'must be set in production');
    if (env.CONSOLE_COOKIE_SECURE === 'false')
      problem('CONSOLE_COOKIE_SECURE', 'must not be false in production');
  })
  .transform((env) => {
    const publicUrl = (env.CONSOLE_PUBLIC_URL || `http://127.0.0.1:${env.CONSOLE_PORT}`).replace(/\/+$/, '');
    const production = env.NODE_ENV === 'production';
    return {
      ...env,
      CONSOLE_PUBLIC_URL: publicUrl,
      cookieSecure:
        production ||
        (env.CONSOLE_COOKIE_SECURE === ''
          ? publicUrl.startsWith('https:')
          : env.CONSOLE_COOKIE_SECURE === 'true'),
      allowHttpIdp: !production && env.OIDC_ALLOW_HTTP,
    };
  });

export type ConsoleConfig = z.infer<typeof consoleEnvSchema>;

export const loadConsoleConfig = (env: NodeJS.ProcessEnv = process.env): ConsoleConfig =>
  loadConfig(consoleEnvSchema as unknown as z.ZodObject, env) as ConsoleConfig;
