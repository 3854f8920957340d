import type { HttpServiceOptions } from '@lib/observability';
import { ConsoleConfig } from '../console.config';
import { securityHeaders } from './security';

/** How the console's HTTP edge is set up (main and the tests share it). */
export function consoleHttpOptions(config: ConsoleConfig): Omit<HttpServiceOptions, 'module'> {
  return {
    title: 'console',
    description: 'The finance console’s backend-for-frontend',
    bodyLimit: config.CONSOLE_BODY_LIMIT,
    docs: false,
    beforeBody: () => [
      securityHeaders(new URL(config.OIDC_ISSUER).origin, config.CONSOLE_PUBLIC_URL.startsWith('https:')),
    ],
  };
}
