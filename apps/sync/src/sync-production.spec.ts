import { loadSyncConfig } from './sync.config';

describe('sync configuration in production', () => {
  it("refuses to start on the sandbox's authority defaults, naming each variable", () => {
    expect(() => loadSyncConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTHORITY_BASE_URL: [^\n]*sandbox[\s\S]*AUTHORITY_APP_ID: [\s\S]*AUTHORITY_APP_SECRET: /,
    );
    expect(() => loadSyncConfig({})).not.toThrow();
  });
});
