import { z } from 'zod';
import { envInt, envList, envLogLevel, envString, envUrl } from './env-types';

const MAX_CLOCK_OFFSET_MS = 20 * 366 * 86_400_000;

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/invoice_sync';

/** Variables every service reads. Each app extends this with its own. */
export const baseEnvSchema = z.object({
  PORT: envInt(3000, 0, 65535),
  DATABASE_URL: envUrl(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: envInt(10, 1, 200),
  KAFKA_BROKERS: envList(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: envString(''),
  KAFKA_TOPIC_PREFIX: envString(''),
  KAFKA_PARTITIONS: envInt(6, 1, 1000),
  KAFKA_REPLICATION_FACTOR: envInt(1, 1, 10),
  LOG_LEVEL: envLogLevel(),
  HTTP_HOST: envString('0.0.0.0'),
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0, 600_000),
  /**
   * Runs the service as of another instant: its clock reads the system time plus this many milliseconds (at most
   * about 20 years either way). For demos and tests that play a whole system on a chosen date; 0 in production.
   */
  CLOCK_OFFSET_MS: envInt(0, -MAX_CLOCK_OFFSET_MS, MAX_CLOCK_OFFSET_MS),
});

export type BaseConfig = z.infer<typeof baseEnvSchema>;
