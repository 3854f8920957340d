import { Kafka, logLevel, LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { createLogger } from '@lib/observability';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name (isolates test runs and environments sharing a cluster). */
  topicPrefix?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');

const LEVEL_NAME: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Start-up notices kafkajs prints on every producer: the partitioner change (we pin the default
 * partitioner explicitly) and bounded retries on idempotent producers (our transactional relay
 * aborts and retries a whole batch, so bounded retries cannot break exactly-once).
 */
const QUIET_WARNINGS = [/switched default partitioner/, /Limiting retries for the idempotent producer/];

/** kafkajs logs through our pino logger; its chatty INFO lines become debug. */
function pinoLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const quiet = level === logLevel.INFO || QUIET_WARNINGS.some((re) => re.test(message));
      const name = quiet ? 'debug' : (LEVEL_NAME[level] ?? 'debug');
      logger[name]({ kafka: extra }, message);
    };
}

export function createKafka(settings: KafkaSettings, logger: Logger = createLogger('kafkajs')): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs ?? 3_000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
  });
}

export function topicName(settings: Pick<KafkaSettings, 'topicPrefix'>, topic: string): string {
  return `${settings.topicPrefix ?? ''}${topic}`;
}
