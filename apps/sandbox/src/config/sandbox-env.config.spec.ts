import { DEV_CREDENTIALS, resolveSettings } from '@lib/simulators';
import { sandboxOptionsFromEnv } from './sandbox-env.config';

describe('sandboxOptionsFromEnv', () => {
  it('defaults to loopback, the documented ports and development credentials', () => {
    const options = sandboxOptionsFromEnv({});
    expect(options.host).toBe('127.0.0.1');
    expect(options.controlPort).toBe(7100);
    expect(options.ports).toEqual({
      authority: 7101,
      baiwang: 7102,
      nuonuo: 7103,
      sms: 7104,
      smtp: 7125,
    });
    const settings = resolveSettings(options);
    expect(settings.authorityCredentials[0]).toMatchObject({ appId: DEV_CREDENTIALS.authority.appId });
    expect(settings.authority).toMatchObject({
      visibilityLagMs: 2000,
      dailyQueryQuota: 5,
      redFormConfirmMs: 72 * 3600_000,
    });
    expect(settings.nuonuo.quota).toEqual({ limit: 50, windowMs: 30 * 24 * 3600_000 });
    expect(settings.smtpAuth).toBeNull();
  });

  it('reads overrides, SMTP auth and SMS templates', () => {
    const options = sandboxOptionsFromEnv({
      SANDBOX_AUTHORITY_PORT: '0',
      SANDBOX_SEED: '42',
      SANDBOX_TIME_SCALE: '3600',
      SANDBOX_VISIBILITY_LAG_MS: '10',
      SANDBOX_SMTP_USER: 'u',
      SANDBOX_SMTP_PASS: 'p',
      SANDBOX_SMS_TEMPLATES: '[{"code":"T1","content":"${x}"}]',
    });
    expect(options).toMatchObject({
      seed: '42',
      timeScale: 3600,
      ports: { authority: 0 },
      smtp: { auth: { user: 'u', pass: 'p' } },
    });
    expect(resolveSettings(options).authority.visibilityLagMs).toBe(10);
    expect(options.sms?.templates).toEqual([{ code: 'T1', content: '${x}' }]);
  });

  it('fails fast on bad values and refuses production', () => {
    expect(() => sandboxOptionsFromEnv({ SANDBOX_BAIWANG_PORT: 'abc' })).toThrow(/SANDBOX_BAIWANG_PORT/);
    expect(() => sandboxOptionsFromEnv({ NODE_ENV: 'production' })).toThrow(/production/);
  });
});
