import type { Kafka, Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/**
 * Counts what a read-committed consumer sees on a topic (what downstream services will see), remembers when the
 * n-th message arrived, and checks exactly-once by event id. Keeps a sample of the raw messages for the baseline.
 */
export class KafkaCounter {
  count = 0;
  readonly ids = new Set<string>();
  readonly sample: { key: string; value: string }[] = [];
  private consumer?: Consumer;
  private waiters: { target: number; resolve: (at: number) => void }[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly sampleSize = 5_000,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({
      groupId: `bench-counter-${randomUUID()}`,
      readUncommitted: false,
      maxBytes: 50 * 1024 * 1024,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const id = message.headers?.['event-id']?.toString() ?? '';
          this.ids.add(id);
          if (this.sample.length < this.sampleSize)
            this.sample.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        }
        this.count += batch.messages.length;
        const now = Date.now();
        this.waiters = this.waiters.filter((w) => (w.target <= this.count ? (w.resolve(now), false) : true));
      },
    });
  }

  /** Resolves with the time the count reached `target`. */
  reach(target: number, timeoutMs = 600_000): Promise<number> {
    if (this.count >= target) return Promise.resolve(Date.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.count} of ${target} messages in Kafka after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({ target, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  }

  get duplicates(): number {
    return this.count - this.ids.size;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
