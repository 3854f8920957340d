import { ConfigError } from '@lib/common';
import { providerEnvSchema, providerEnvShapeOf } from '../config/provider-env';
import { BUILT_IN_TARGETS } from './built-in-targets';
import { AnyTargetDefinition } from './target-definition';
import { TargetRegistry } from './target-registry';

const platform = (name: string, envPrefix = name.toUpperCase()): AnyTargetDefinition => ({
  name,
  role: 'platform',
  envPrefix,
  concurrency: 1,
  env: {},
  missing: () => [],
  settings: () => undefined,
  createAdapter: () => {
    throw new Error('not built in this test');
  },
});

describe('target registry', () => {
  it('holds the built-in targets: the authority, a platform and a query channel, with their roles', () => {
    const registry = new TargetRegistry(BUILT_IN_TARGETS);
    expect(registry.authority()).toBe('authority');
    expect(registry.platforms()).toEqual(['baiwang']);
    expect(registry.roleOf('nuonuo')).toBe('query');
    expect([registry.isPlatform('nuonuo'), registry.isQueryOnly('nuonuo'), registry.isTarget('nuonuo')]).toEqual([false, true, true]);
    expect(registry.isPlatform('authority')).toBe(false);
    expect(registry.isTarget('sap')).toBe(false);
  });

  it('takes a new platform, and refuses a second target of the same name or prefix, or a second authority', () => {
    const registry = new TargetRegistry(BUILT_IN_TARGETS).register(platform('fapiaoyun'));
    expect(registry.platforms()).toEqual(['baiwang', 'fapiaoyun']);
    expect(() => registry.register(platform('fapiaoyun', 'OTHER'))).toThrow(ConfigError);
    expect(() => registry.register(platform('other', 'NUONUO'))).toThrow(ConfigError);
    expect(() => registry.register({ ...platform('tax2'), role: 'authority' })).toThrow(
      /already an authority/,
    );
  });

  it('builds the environment from the definitions: the built-in variables keep their names and defaults', () => {
    const env = providerEnvSchema.parse({});
    expect(env).toMatchObject({
      AUTHORITY_TIMEOUT_MS: 5_000,
      BAIWANG_BASE_URL: '',
      NUONUO_NOT_FOUND_GRACE_MS: 600_000,
    });
    expect(Object.keys(providerEnvShapeOf(new TargetRegistry(BUILT_IN_TARGETS))).sort()).toEqual(
      Object.keys(env).sort(),
    );
  });
});
