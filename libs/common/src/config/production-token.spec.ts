import { z } from 'zod';
import { envString } from './env-types';
import { loadConfig } from './load-config';
import { productionTokenCheck } from './production-token';

const schema = z
  .object({ NODE_ENV: envString('development'), API_TOKEN: envString('') })
  .superRefine(productionTokenCheck('API_TOKEN'));

describe('API tokens in production', () => {
  it('refuses a token under 32 characters with NODE_ENV=production, naming the variable', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'production', API_TOKEN: 'short-token' })).toThrow(
      /API_TOKEN: must be at least 32 characters in production/,
    );
  });

  it('takes a long token, an empty one (the API off), and short ones outside production', () => {
    expect(loadConfig(schema, { NODE_ENV: 'production', API_TOKEN: 'x'.repeat(32) }).API_TOKEN).toHaveLength(
      32,
    );
    expect(loadConfig(schema, { NODE_ENV: 'production' }).API_TOKEN).toBe('');
    expect(loadConfig(schema, { API_TOKEN: 'dev' }).API_TOKEN).toBe('dev');
  });
});
