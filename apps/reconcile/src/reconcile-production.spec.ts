import { loadReconcileConfig } from './reconcile.config';

describe('reconcile configuration in production', () => {
  it('refuses an API token under 32 characters, naming it', () => {
    expect(() => loadReconcileConfig({ NODE_ENV: 'production', RECONCILE_API_TOKEN: 'reconcile' })).toThrow(
      /RECONCILE_API_TOKEN: must be at least 32/,
    );
    expect(
      loadReconcileConfig({ NODE_ENV: 'production', RECONCILE_API_TOKEN: 'r'.repeat(32) })
        .RECONCILE_API_TOKEN,
    ).toHaveLength(32);
    expect(loadReconcileConfig({ RECONCILE_API_TOKEN: 'dev' }).RECONCILE_API_TOKEN).toBe('dev');
  });
});
