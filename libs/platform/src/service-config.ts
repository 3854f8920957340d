import { z } from 'zod';
import { baseEnvSchema, envBool, envString } from '@lib/common';
import { authEnvShape } from './auth/auth.config';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Base variables plus the service's schema name (defaults to the service's own) and the Kafka client's TLS and SASL
 * settings. Each variable is checked on its own here; the rules between them (a mechanism needs a user name and a
 * password, a CA file must be readable...) are checked by `kafkaSettingsFromConfig` when the service module is built,
 * still before anything connects. (No object-level refinement here: the apps `.extend()` this schema.)
 */
export function serviceEnvSchema(defaultSchema: string) {
  return baseEnvSchema.extend({
    ...authEnvShape,
    NODE_ENV: envString('development'),
    /**
     * Bearer token /metrics requires (Prometheus sends it: `authorization` of the ServiceMonitor's endpoint). Unset:
     * /metrics is open to whoever reaches the pod, in production too (keep it behind a network policy then).
     */
    METRICS_TOKEN: envString(''),
    /** Serve the OpenAPI page at /docs. Unset: on, except with NODE_ENV=production (see `docsEnabled`). */
    DOCS_ENABLED: envString('')
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(['', 'true', 'false'], { message: 'must be true or false' })),
    DB_SCHEMA: envString(defaultSchema).pipe(z.string().regex(/^[a-z_][a-z0-9_]*$/)),
    /** Connect to the brokers over TLS. */
    KAFKA_SSL: envBool(false),
    /** PEM file of the CA(s) that signed the brokers' certificates; unset = Node's default CAs. */
    KAFKA_SSL_CA_FILE: envString(''),
    /** false accepts any broker certificate (test clusters only). */
    KAFKA_SSL_REJECT_UNAUTHORIZED: envBool(true),
    /** `plain`, `scram-sha-256` or `scram-sha-512`; unset = no SASL authentication. */
    KAFKA_SASL_MECHANISM: envString('')
      .transform((value) => value.toLowerCase())
      .pipe(
        z.enum(['', ...KAFKA_SASL_MECHANISMS], {
          message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
        }),
      ),
    KAFKA_SASL_USERNAME: envString(''),
    /** Taken as is (not trimmed); never logged (loadConfig hides *PASSWORD* values in its messages). */
    KAFKA_SASL_PASSWORD: z
      .string()
      .optional()
      .transform((raw) => raw ?? ''),
  });
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceEnvSchema>>;

/** Whether /docs is served: DOCS_ENABLED when set; otherwise everywhere but production. */
export function docsEnabled(config: Pick<ServiceConfig, 'DOCS_ENABLED' | 'NODE_ENV'>): boolean {
  return config.DOCS_ENABLED === '' ? config.NODE_ENV !== 'production' : config.DOCS_ENABLED === 'true';
}
