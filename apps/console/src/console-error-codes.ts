/**
 * Every code the console itself answers with (a service's own answer is passed on as it came). The strings are on
 * the wire and the web app reads them: add codes, never rename one.
 */
export const ConsoleErrorCode = {
  // signing in and the session
  IDP_UNAVAILABLE: 'IDP_UNAVAILABLE',
  LOGIN_FAILED: 'LOGIN_FAILED',
  LOGIN_EXPIRED: 'LOGIN_EXPIRED',
  REFRESH_FAILED: 'REFRESH_FAILED',
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  CSRF_TOKEN_INVALID: 'CSRF_TOKEN_INVALID',
  // the API it serves and proxies
  INVALID_PATH: 'INVALID_PATH',
  INVALID_CURSOR: 'INVALID_CURSOR',
  NOT_FOUND: 'NOT_FOUND',
  SERVICE_TIMEOUT: 'SERVICE_TIMEOUT',
  SERVICE_UNREACHABLE: 'SERVICE_UNREACHABLE',
  // the web app's files are not there (not built)
  CONSOLE_WEB_MISSING: 'CONSOLE_WEB_MISSING',
} as const;
export type ConsoleErrorCode = (typeof ConsoleErrorCode)[keyof typeof ConsoleErrorCode];
