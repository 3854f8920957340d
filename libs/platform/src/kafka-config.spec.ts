import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '@lib/common';
import { kafkaSettingsFromConfig } from './kafka-config';
import { serviceEnvSchema } from './service-config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('Kafka TLS and SASL configuration', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-config-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, PEM);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const schema = serviceEnvSchema('sync');
  const settings = (env: NodeJS.ProcessEnv) => kafkaSettingsFromConfig(loadConfig(schema, env), 'sync');
  const problems = (env: NodeJS.ProcessEnv): string[] => {
    try {
      settings(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('keeps today’s plaintext client when nothing is set', () => {
    const s = settings({});
    expect(s).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'sync', topicPrefix: '' });
    expect(s).not.toHaveProperty('ssl');
    expect(s).not.toHaveProperty('sasl');
  });

  it('maps KAFKA_CLIENT_ID, KAFKA_BROKERS and KAFKA_TOPIC_PREFIX as before', () => {
    expect(
      settings({ KAFKA_BROKERS: 'a:9093, b:9093', KAFKA_CLIENT_ID: 'x', KAFKA_TOPIC_PREFIX: 'p.' }),
    ).toEqual({
      brokers: ['a:9093', 'b:9093'],
      clientId: 'x',
      topicPrefix: 'p.',
    });
  });

  it('KAFKA_SSL=true alone: TLS with Node’s default CAs, certificates verified', () => {
    expect(settings({ KAFKA_SSL: 'true' }).ssl).toBe(true);
  });

  it('reads the CA file and keeps verification on unless told otherwise', () => {
    expect(settings({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile }).ssl).toEqual({
      ca: [PEM],
      rejectUnauthorized: true,
    });
    expect(settings({ KAFKA_SSL: 'yes', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' }).ssl).toEqual({
      rejectUnauthorized: false,
    });
  });

  it.each(['plain', 'scram-sha-256', 'SCRAM-SHA-512'])('SASL %s with user name and password', (mechanism) => {
    const s = settings({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: 'svc-sync',
      KAFKA_SASL_PASSWORD: ' pa ss ',
    });
    expect(s.sasl?.mechanism).toBe(mechanism.toLowerCase());
    expect(s.sasl?.username).toBe('svc-sync');
    expect(s.sasl?.password).toBe(' pa ss ');
  });

  it('never shows the password when the settings are serialised or inspected', () => {
    const s = settings({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc-sync',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
    });
    expect(JSON.stringify(s)).not.toContain('hunter2');
    expect(inspect(s, { depth: 10 })).not.toContain('hunter2');
    expect({ ...s.sasl }).toEqual({ mechanism: 'scram-sha-512', username: 'svc-sync' });
  });

  it('rejects an unknown mechanism, naming the variable', () => {
    expect(() => loadConfig(schema, { KAFKA_SASL_MECHANISM: 'oauthbearer' })).toThrow(
      /KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512/,
    );
    expect(() => loadConfig(schema, { KAFKA_SSL: 'maybe' })).toThrow(/KAFKA_SSL: must be true or false/);
  });

  it('names every missing companion variable, and never the password’s value', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=plain',
      'KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=plain',
    ]);
    const withoutMechanism = problems({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' });
    expect(withoutMechanism).toEqual([expect.stringMatching(/^KAFKA_SASL_MECHANISM: required when/)]);
    expect(withoutMechanism.join()).not.toContain('hunter2');
  });

  it('refuses TLS settings without KAFKA_SSL, and a CA file it cannot read or that holds no certificate', () => {
    expect(problems({ KAFKA_SSL_CA_FILE: caFile })).toEqual([
      'KAFKA_SSL_CA_FILE: is set, but KAFKA_SSL is not true',
    ]);
    expect(problems({ KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toEqual([
      'KAFKA_SSL_REJECT_UNAUTHORIZED: is false, but KAFKA_SSL is not true',
    ]);
    const missing = join(dir, 'nope.pem');
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing })).toEqual([
      `KAFKA_SSL_CA_FILE: cannot read ${missing} (ENOENT)`,
    ]);
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(problems({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: notPem })).toEqual([
      `KAFKA_SSL_CA_FILE: ${notPem} holds no PEM certificate`,
    ]);
  });
});
