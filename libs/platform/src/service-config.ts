import { z } from 'zod';
import { baseEnvSchema, envString } from '@lib/common';

/** Base variables plus the service's schema name (defaults to the service's own). */
export function serviceEnvSchema(defaultSchema: string) {
  return baseEnvSchema.extend({
    DB_SCHEMA: envString(defaultSchema).pipe(z.string().regex(/^[a-z_][a-z0-9_]*$/)),
  });
}
