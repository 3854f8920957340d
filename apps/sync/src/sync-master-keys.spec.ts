import { randomBytes } from 'node:crypto';
import { loadSyncConfig } from './sync.config';

const key = () => randomBytes(32).toString('base64');
const production = {
  NODE_ENV: 'production',
  AUTHORITY_BASE_URL: 'https://fapiao.example.gov.cn',
  AUTHORITY_APP_ID: 'enterprise-app',
  AUTHORITY_APP_SECRET: 'a-real-secret-from-the-authority',
};

describe('SYNC_MASTER_KEYS (platform tokens sealed at rest)', () => {
  it('is required in production', () => {
    expect(() => loadSyncConfig(production)).toThrow(/SYNC_MASTER_KEYS: required in production/);
    expect(loadSyncConfig({ ...production, SYNC_MASTER_KEYS: `k1:${key()}` }).SYNC_MASTER_KEYS).toMatch(
      /^k1:/,
    );
  });

  it('is named together with the other production problems', () => {
    expect(() => loadSyncConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTHORITY_BASE_URL: [\s\S]*SYNC_MASTER_KEYS: required in production/,
    );
  });

  it('has no default key outside production: unset, the service starts with platform tokens unavailable', () => {
    const config = loadSyncConfig({ NODE_ENV: 'development' });
    expect(config.SYNC_MASTER_KEYS).toBe('');
    expect(config.SYNC_ACTIVE_KEY_ID).toBe('');
  });

  it('refuses a malformed ring in any environment, without echoing key material', () => {
    const material = key();
    const attempts: [Record<string, string>, RegExp][] = [
      [
        { SYNC_MASTER_KEYS: `k1:${material},k2:${key()}` },
        /several keys are given: SYNC_ACTIVE_KEY_ID must name one/,
      ],
      [
        { SYNC_MASTER_KEYS: `k1:${material}`, SYNC_ACTIVE_KEY_ID: 'k2' },
        /SYNC_ACTIVE_KEY_ID "k2" is not among/,
      ],
      [{ SYNC_MASTER_KEYS: 'k1:dG9vLXNob3J0' }, /key "k1" must be 32 bytes/],
    ];
    for (const [env, problem] of attempts) {
      let message = '';
      try {
        loadSyncConfig({ NODE_ENV: 'development', ...env });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(problem);
      expect(message).not.toContain(material);
      expect(message).not.toContain('dG9vLXNob3J0');
    }
  });

  it('takes several keys with the active one named', () => {
    const config = loadSyncConfig({ SYNC_MASTER_KEYS: `k1:${key()}, k2:${key()}`, SYNC_ACTIVE_KEY_ID: 'k2' });
    expect(config.SYNC_ACTIVE_KEY_ID).toBe('k2');
  });
});
