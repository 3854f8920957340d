import { Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { createLogger } from '@lib/observability';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name (isolates test runs and environments sharing a cluster). */
  topicPrefix?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** TLS to the brokers: true = Node's default CAs; an object sets the CAs and whether the certificate is verified. */
  ssl?: boolean | KafkaTlsSettings;
  /** SASL authentication; build it with `kafkaSasl` so that the password is never serialised or logged. */
  sasl?: KafkaSaslSettings;
}

export interface KafkaTlsSettings {
  /** PEM contents (not file names) of the certificate authorities; absent = Node's default CAs. */
  ca?: string[];
  rejectUnauthorized: boolean;
}

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSaslSettings {
  mechanism: KafkaSaslMechanism;
  username: string;
  readonly password: string;
}

/**
 * SASL settings whose password is a non-enumerable property: kafkajs reads it, but JSON serialisation, pino and
 * `util.inspect` do not show it, so logging the settings (or an error that carries them) cannot leak it.
 */
export function kafkaSasl(
  mechanism: KafkaSaslMechanism,
  username: string,
  password: string,
): KafkaSaslSettings {
  const sasl = { mechanism, username } as KafkaSaslSettings;
  Object.defineProperty(sasl, 'password', { value: password, enumerable: false });
  return sasl;
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
    ssl: settings.ssl,
    // The union kafkajs declares is per mechanism; ours has the same fields for the three mechanisms it allows.
    sasl: settings.sasl as SASLOptions | undefined,
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
