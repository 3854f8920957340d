import { readFileSync } from 'node:fs';
import { ConfigError } from '@lib/common';
import { KafkaSettings, KafkaTlsSettings, kafkaSasl } from '@lib/messaging';
import type { ServiceConfig } from './service-config';

type KafkaConfig = Pick<
  ServiceConfig,
  | 'KAFKA_BROKERS'
  | 'KAFKA_CLIENT_ID'
  | 'KAFKA_TOPIC_PREFIX'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_REJECT_UNAUTHORIZED'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * The Kafka client settings of a service, from its configuration. Checks the rules between the variables and reads
 * the CA file, so that a wrong setting stops the service at start with a message naming the variable (a ConfigError,
 * like loadConfig's), instead of failing later at the first connection. The password never appears in a message.
 */
export function kafkaSettingsFromConfig(
  config: KafkaConfig,
  service: string,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): KafkaSettings {
  const problems: string[] = [];
  const mechanism = config.KAFKA_SASL_MECHANISM;

  let ssl: KafkaSettings['ssl'];
  if (config.KAFKA_SSL) {
    const tls: KafkaTlsSettings = { rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED };
    if (config.KAFKA_SSL_CA_FILE) {
      try {
        const pem = readFile(config.KAFKA_SSL_CA_FILE);
        if (!pem.includes('-----BEGIN CERTIFICATE-----'))
          problems.push(`KAFKA_SSL_CA_FILE: ${config.KAFKA_SSL_CA_FILE} holds no PEM certificate`);
        tls.ca = [pem];
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        problems.push(`KAFKA_SSL_CA_FILE: cannot read ${config.KAFKA_SSL_CA_FILE} (${reason})`);
      }
    }
    ssl = tls.ca || !tls.rejectUnauthorized ? tls : true;
  } else {
    if (config.KAFKA_SSL_CA_FILE) problems.push('KAFKA_SSL_CA_FILE: is set, but KAFKA_SSL is not true');
    if (!config.KAFKA_SSL_REJECT_UNAUTHORIZED)
      problems.push('KAFKA_SSL_REJECT_UNAUTHORIZED: is false, but KAFKA_SSL is not true');
  }

  let sasl: KafkaSettings['sasl'];
  if (mechanism) {
    if (!config.KAFKA_SASL_USERNAME)
      problems.push(`KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=${mechanism}`);
    if (!config.KAFKA_SASL_PASSWORD)
      problems.push(`KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=${mechanism}`);
    sasl = kafkaSasl(mechanism, config.KAFKA_SASL_USERNAME, config.KAFKA_SASL_PASSWORD);
  } else if (config.KAFKA_SASL_USERNAME || config.KAFKA_SASL_PASSWORD) {
    problems.push(
      'KAFKA_SASL_MECHANISM: required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set (plain, scram-sha-256 or scram-sha-512)',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID || service,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    ...(ssl !== undefined && { ssl }),
    ...(sasl !== undefined && { sasl }),
  };
}
