import { DEV_SESSION_KEY, loadConsoleConfig } from './console.config';

describe('console configuration', () => {
  it('runs on 3004 against the sandbox IdP and the services on 3000-3003 by default', () => {
    const config = loadConsoleConfig({});
    expect(config).toMatchObject({
      CONSOLE_PORT: 3004,
      CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3004',
      OIDC_CLIENT_ID: 'invoice-console',
      AUTH_AUDIENCE: 'urn:invoice-sync:api',
      GATEWAY_URL: 'http://127.0.0.1:3000',
      SYNC_URL: 'http://127.0.0.1:3001',
      RECONCILE_URL: 'http://127.0.0.1:3002',
      NOTIFIER_URL: 'http://127.0.0.1:3003',
      DB_SCHEMA: 'console',
      CONSOLE_SESSION_IDLE_MINUTES: 30,
      CONSOLE_SESSION_MAX_HOURS: 12,
      cookieSecure: false,
    });
  });

  it('marks cookies Secure when the public URL is https', () => {
    expect(loadConsoleConfig({ CONSOLE_PUBLIC_URL: 'https://console.example.cn/' })).toMatchObject({
      CONSOLE_PUBLIC_URL: 'https://console.example.cn',
      cookieSecure: true,
    });
  });

  it('refuses a short session key anywhere, and the development key, no client secret or insecure cookies in production', () => {
    expect(() => loadConsoleConfig({ CONSOLE_SESSION_KEY: 'short' })).toThrow(
      /CONSOLE_SESSION_KEY: must be at least 32/,
    );
    const problems = () =>
      loadConsoleConfig({
        NODE_ENV: 'production',
        CONSOLE_SESSION_KEY: DEV_SESSION_KEY,
        CONSOLE_COOKIE_SECURE: 'false',
      });
    expect(problems).toThrow(/CONSOLE_SESSION_KEY: is the development default in production/);
    expect(problems).toThrow(/OIDC_CLIENT_SECRET: must be set in production/);
    expect(problems).toThrow(/CONSOLE_COOKIE_SECURE: must not be false/);
    expect(
      loadConsoleConfig({
        NODE_ENV: 'production',
        CONSOLE_SESSION_KEY: 'k'.repeat(40),
        OIDC_CLIENT_SECRET: 's'.repeat(32),
      }),
    ).toMatchObject({ cookieSecure: true, allowHttpIdp: false });
  });
});
