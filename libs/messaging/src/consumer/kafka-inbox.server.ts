import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { ConsumerRunner, ConsumerRunnerOptions, IncomingMessage } from './consumer-runner';
import { KafkaInboxContext } from './kafka-inbox.context';

export const KAFKA_INBOX_TRANSPORT = Symbol('KAFKA_INBOX_TRANSPORT');

export interface KafkaInboxServerOptions extends Omit<ConsumerRunnerOptions, 'topics' | 'handler'> {
  /** Maps a logical topic (the @EventPattern) to its physical name (e.g. with a prefix). */
  physicalTopic?: (logical: string) => string;
}

/**
 * A Nest transport on top of our ConsumerRunner, so handlers are plain `@EventPattern(topic)` methods.
 *
 * Why not Nest's built-in ServerKafka: it commits offsets on its own schedule (auto-commit after the
 * handler returns, whatever the handler's transaction did), retries by re-throwing into kafkajs
 * (which blocks the partition and eventually restarts the consumer), appends `-server` to client ids
 * and group ids, and has no inbox or DLQ. Here, the handler runs inside a database transaction that
 * also records the message id; the offset is committed only after that transaction commits.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  override readonly transportId = KAFKA_INBOX_TRANSPORT;
  private runner?: ConsumerRunner;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: KafkaInboxServerOptions,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const physical = this.options.physicalTopic ?? ((t: string) => t);
      const logicalByPhysical = new Map<string, string>();
      for (const pattern of this.messageHandlers.keys()) logicalByPhysical.set(physical(pattern), pattern);
      this.runner = new ConsumerRunner(this.kafka, this.dataSource, {
        ...this.options,
        topics: [...logicalByPhysical.keys()],
        handler: (message, manager) => this.dispatch(logicalByPhysical.get(message.topic) ?? message.topic, message, manager),
      });
      await this.runner.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaInboxServer does not emit events');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }

  private async dispatch(pattern: string, message: IncomingMessage, manager: import('typeorm').EntityManager): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    const context = new KafkaInboxContext([message, manager]);
    const result = await handler(message.envelope, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
