import { loadConfig } from '@lib/common';
import { docsEnabled, serviceEnvSchema } from './service-config';

const config = (env: Record<string, string>) => loadConfig(serviceEnvSchema('probe'), env);

describe('/docs and /metrics settings', () => {
  it('serves /docs by default except in production, and DOCS_ENABLED decides when set', () => {
    expect(docsEnabled(config({}))).toBe(true);
    expect(docsEnabled(config({ NODE_ENV: 'test' }))).toBe(true);
    expect(docsEnabled(config({ NODE_ENV: 'production' }))).toBe(false);
    expect(docsEnabled(config({ NODE_ENV: 'production', DOCS_ENABLED: 'TRUE' }))).toBe(true);
    expect(docsEnabled(config({ DOCS_ENABLED: 'false' }))).toBe(false);
    expect(() => config({ DOCS_ENABLED: 'maybe' })).toThrow('DOCS_ENABLED: must be true or false');
  });

  it('leaves /metrics open unless METRICS_TOKEN is set', () => {
    expect(config({}).METRICS_TOKEN).toBe('');
    expect(config({ METRICS_TOKEN: ' scrape-token ' }).METRICS_TOKEN).toBe('scrape-token');
  });
});
