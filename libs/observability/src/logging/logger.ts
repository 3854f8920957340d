import pino, { Logger, LoggerOptions } from 'pino';
import { REDACTED, redactLogFields } from './redact-deep';

/**
 * Anything that may carry a credential or personal data is redacted before it reaches a log line: these paths by
 * pino, and credentials at any depth plus axios errors' config (headers, bodies) by `redactLogFields`.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-signature"]',
  'req.headers.cookie',
  'req.headers.accesstoken',
  'req.headers["x-nuonuo-sign"]',
  '*.secret',
  '*.password',
  '*.appSecret',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.masterKey',
];

export function loggerOptions(service: string, level = process.env.LOG_LEVEL ?? 'info'): LoggerOptions {
  return {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: { level: (label) => ({ level: label }), log: redactLogFields },
  };
}

export function createLogger(service: string, level?: string): Logger {
  return pino(loggerOptions(service, level));
}
