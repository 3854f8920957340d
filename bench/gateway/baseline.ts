import type { Kafka } from 'kafkajs';

/**
 * What Kafka alone does on this machine: an idempotent kafkajs producer (acks=all) sending the same serialized events
 * (a sample taken from the gateway's own output, cycled) in batches of the same size, from the same number of
 * concurrent senders.
 */
export async function runBaseline(
  kafka: Kafka,
  topic: string,
  sample: { key: string; value: string }[],
  total: number,
  concurrency: number,
  batchSize: number,
): Promise<{ invoices: number; ms: number }> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let claimed = 0;
  let cursor = 0;
  const started = Date.now();
  const sender = async () => {
    while (claimed < total) {
      const size = Math.min(batchSize, total - claimed);
      claimed += size;
      const messages = Array.from({ length: size }, () => sample[cursor++ % sample.length]);
      await producer.send({ topic, acks: -1, messages });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  const ms = Date.now() - started;
  await producer.disconnect();
  return { invoices: total, ms };
}
