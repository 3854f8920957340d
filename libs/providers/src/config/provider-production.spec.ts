import { providerEnvSchema, providerSettingsFrom } from './provider-env';

const settingsOf = (env: NodeJS.ProcessEnv) => providerSettingsFrom(providerEnvSchema.parse(env));
const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    settingsOf(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('provider settings in production', () => {
  const real = {
    NODE_ENV: 'production',
    AUTHORITY_BASE_URL: 'https://authority.example.gov.cn',
    AUTHORITY_APP_ID: 'app-4711',
    AUTHORITY_APP_SECRET: 'a-real-secret',
  };

  it('start on the sandbox defaults outside production (development, tests)', () => {
    expect(settingsOf({}).authority.baseURL).toBe('http://127.0.0.1:7101');
    expect(settingsOf({ NODE_ENV: 'test' }).authority.appSecret).toBe('sandbox-authority-secret');
  });

  it("are refused on the sandbox's authority address and credentials, each variable named", () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['AUTHORITY_BASE_URL', 'AUTHORITY_APP_ID', 'AUTHORITY_APP_SECRET']) {
      expect(problems).toMatch(new RegExp(`${name}: .*sandbox`));
    }
    expect(problems).not.toContain('sandbox-authority-secret');
  });

  it('are refused with a plain-http target unless plain http is explicitly allowed', () => {
    const plain = {
      ...real,
      NUONUO_BASE_URL: 'http://sdk.nuonuo.com',
      NUONUO_APP_KEY: 'k',
      NUONUO_APP_SECRET: 's',
    };
    expect(problemsOf(plain)).toMatch(/NUONUO_BASE_URL: .*TARGETS_ALLOW_PLAIN_HTTP/);
    expect(problemsOf({ ...plain, TARGETS_ALLOW_PLAIN_HTTP: 'true' })).toBe('');
  });

  it('start with real https targets and credentials', () => {
    expect(settingsOf(real).authority).toMatchObject({
      baseURL: 'https://authority.example.gov.cn',
      appId: 'app-4711',
    });
  });
});
