// A relay in its own process, for the crash test: reads its settings from the environment.
import { createKafka } from '../src/kafka/kafka-settings';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createServiceDataSource } from '@lib/persistence';

async function main(): Promise<void> {
  const schema = process.env.RELAY_SCHEMA as string;
  const dataSource = createServiceDataSource({
    url: process.env.DATABASE_URL as string,
    schema,
    poolSize: 4,
  });
  await dataSource.initialize();
  const kafka = createKafka({
    brokers: (process.env.KAFKA_BROKERS as string).split(','),
    clientId: 'relay-child',
  });
  const relay = new OutboxRelay(dataSource, kafka, {
    relayId: process.env.RELAY_ID as string,
    progressTopic: process.env.RELAY_PROGRESS_TOPIC as string,
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 200),
    sendBytes: process.env.RELAY_SEND_BYTES ? Number(process.env.RELAY_SEND_BYTES) : undefined,
    standbyDelayMs: 200,
  });
  relay.start();
  const stop = async () => {
    await relay.stop();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

void main();
