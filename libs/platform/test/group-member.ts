// A consumer group member in its own process, so a test can SIGKILL it: the group then holds a member that never
// leaves until its session times out (what a pod killed with SIGKILL leaves behind).
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: process.env.MEMBER_CLIENT_ID as string,
    brokers: (process.env.KAFKA_BROKERS as string).split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: process.env.MEMBER_GROUP as string,
    sessionTimeout: Number(process.env.MEMBER_SESSION_TIMEOUT_MS),
    heartbeatInterval: 1_000,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\n'));
  await consumer.connect();
  await consumer.subscribe({ topics: [process.env.MEMBER_TOPIC as string] });
  await consumer.run({ eachMessage: async () => undefined });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
