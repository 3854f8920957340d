import { findingLinkOf, loadNotifierConfig } from './notifier.config';

const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadNotifierConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('notifier configuration', () => {
  describe('links', () => {
    it('open the finding in the console, by default the local one, never the findings API', () => {
      expect(findingLinkOf(loadNotifierConfig({}), 'F/1')).toBe('http://127.0.0.1:3004/findings/F%2F1');
      const console = loadNotifierConfig({ NOTIFIER_CONSOLE_URL: 'https://console.example.com/finance/' });
      expect(findingLinkOf(console, 'F-1')).toBe('https://console.example.com/finance/findings/F-1');
      expect(problemsOf({ NOTIFIER_CONSOLE_URL: 'console' })).toMatch(/NOTIFIER_CONSOLE_URL/);
    });
  });

  describe('SMTP credentials', () => {
    const login = {
      NOTIFIER_SMTP_HOST: 'smtp.example.com',
      NOTIFIER_SMTP_USER: 'alerts',
      NOTIFIER_SMTP_PASSWORD: 'pw',
    };

    it('refuses credentials without TLS, naming the variable and the ways out', () => {
      const problems = problemsOf(login);
      expect(problems).toMatch(/NOTIFIER_SMTP_USER: .*NOTIFIER_SMTP_REQUIRE_TLS.*NOTIFIER_SMTP_SECURE/);
      expect(problems).toContain('NOTIFIER_SMTP_ALLOW_PLAIN_AUTH');
      expect(problems).not.toContain('"pw"');
      expect(problemsOf({ NOTIFIER_SMTP_PASSWORD: 'pw' })).toMatch(/NOTIFIER_SMTP_PASSWORD: /);
    });

    it('accepts them with STARTTLS required or implicit TLS', () => {
      expect(problemsOf({ ...login, NOTIFIER_SMTP_REQUIRE_TLS: 'true' })).toBe('');
      expect(problemsOf({ ...login, NOTIFIER_SMTP_SECURE: 'true', NOTIFIER_SMTP_PORT: '465' })).toBe('');
    });

    it('allows them in the clear only for a relay on this host, and only when told so', () => {
      const plain = { ...login, NOTIFIER_SMTP_ALLOW_PLAIN_AUTH: 'true' };
      for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
        expect(problemsOf({ ...plain, NOTIFIER_SMTP_HOST: host })).toBe('');
      }
      expect(problemsOf(plain)).toMatch(/NOTIFIER_SMTP_ALLOW_PLAIN_AUTH: .*smtp\.example\.com/);
      expect(
        loadNotifierConfig({ ...plain, NOTIFIER_SMTP_HOST: 'localhost' }).NOTIFIER_SMTP_ALLOW_PLAIN_AUTH,
      ).toBe(true);
    });

    it('starts without credentials on the defaults (the sandbox sink)', () => {
      expect(problemsOf({})).toBe('');
    });
  });

  describe('in production', () => {
    const real = {
      NODE_ENV: 'production',
      NOTIFIER_SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com/',
      NOTIFIER_SMS_ACCESS_KEY_ID: 'LTAI5tRealKeyId',
      NOTIFIER_SMS_ACCESS_KEY_SECRET: 'a-real-secret',
      NOTIFIER_ADMIN_TOKEN: 'x'.repeat(32),
    };

    it('refuses the sandbox SMS keys, a plain-http SMS endpoint and a short admin token', () => {
      const problems = problemsOf({ NODE_ENV: 'production', NOTIFIER_ADMIN_TOKEN: 'x'.repeat(31) });
      for (const name of [
        'NOTIFIER_SMS_ACCESS_KEY_ID',
        'NOTIFIER_SMS_ACCESS_KEY_SECRET',
        'NOTIFIER_SMS_ENDPOINT',
        'NOTIFIER_ADMIN_TOKEN',
      ]) {
        expect(problems).toMatch(new RegExp(`${name}: `));
      }
    });

    it('starts with real keys, an https endpoint and a long token; plain http only when explicitly allowed', () => {
      expect(problemsOf(real)).toBe('');
      expect(problemsOf({ ...real, NOTIFIER_ADMIN_TOKEN: '' })).toBe(''); // no token: the admin API is off
      const plain = { ...real, NOTIFIER_SMS_ENDPOINT: 'http://sms-egress.internal:8080/' };
      expect(problemsOf(plain)).toMatch(/NOTIFIER_SMS_ENDPOINT: .*NOTIFIER_SMS_ALLOW_PLAIN_HTTP/);
      expect(problemsOf({ ...plain, NOTIFIER_SMS_ALLOW_PLAIN_HTTP: 'true' })).toBe('');
    });

    it('does not ask for SMS keys when SMS is only logged', () => {
      const { NOTIFIER_SMS_ACCESS_KEY_ID, NOTIFIER_SMS_ACCESS_KEY_SECRET, NOTIFIER_SMS_ENDPOINT, ...rest } =
        real;
      void [NOTIFIER_SMS_ACCESS_KEY_ID, NOTIFIER_SMS_ACCESS_KEY_SECRET, NOTIFIER_SMS_ENDPOINT];
      expect(problemsOf({ ...rest, NOTIFIER_SMS_DRIVER: 'log' })).toBe('');
    });
  });
});
