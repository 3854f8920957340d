import { loadSyncConfig } from './sync.config';

describe('sync configuration in production', () => {
  it("refuses to start on the sandbox's authority defaults, naming each variable", () => {
    expect(() => loadSyncConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTHORITY_BASE_URL: [^\n]*sandbox[\s\S]*AUTHORITY_APP_ID: [\s\S]*AUTHORITY_APP_SECRET: /,
    );
    expect(() => loadSyncConfig({})).not.toThrow();
  });
});

describe('the admin token in production', () => {
  const production = {
    NODE_ENV: 'production',
    AUTHORITY_BASE_URL: 'https://fapiao.example.gov.cn',
    AUTHORITY_APP_ID: 'enterprise-app',
    AUTHORITY_APP_SECRET: 'a-real-secret-from-the-authority',
    SYNC_MASTER_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  };

  it('is refused under 32 characters', () => {
    expect(() => loadSyncConfig({ ...production, SYNC_ADMIN_TOKEN: 'admin' })).toThrow(
      /SYNC_ADMIN_TOKEN: must be at least 32/,
    );
    expect(loadSyncConfig({ ...production, SYNC_ADMIN_TOKEN: 'a'.repeat(40) }).SYNC_ADMIN_TOKEN).toHaveLength(
      40,
    );
  });
});
