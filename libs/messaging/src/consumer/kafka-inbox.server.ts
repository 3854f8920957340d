import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { InboxPruner, InboxPrunerOptions, loadInboxPrunerOptions } from '../inbox/inbox-pruner';
import { ConsumerRunner, ConsumerRunnerOptions, IncomingMessage } from './consumer-runner';
import { KafkaInboxContext } from './kafka-inbox.context';

export const KAFKA_INBOX_TRANSPORT = Symbol('KAFKA_INBOX_TRANSPORT');

export interface KafkaInboxServerOptions extends Omit<ConsumerRunnerOptions, 'topics' | 'handler'> {
  /** Maps a logical topic (the @EventPattern) to its physical name (e.g. with a prefix). */
  physicalTopic?: (logical: string) => string;
  /**
   * The inbox pruner that runs beside the consumer (docs/messaging.md, "Inbox retention"). Default: read from the
   * environment (INBOX_RETENTION_DAYS, INBOX_PRUNE_INTERVAL_MS, INBOX_PRUNE_BATCH_SIZE, INBOX_PRUNE_ENABLED) when the
   * server is created, so a bad value stops the service at start. `false`: no pruner.
   */
  inboxPruner?: InboxPrunerOptions | false;
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
  private readonly pruner?: InboxPruner;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly options: KafkaInboxServerOptions,
  ) {
    super();
    const prune = options.inboxPruner ?? loadInboxPrunerOptions();
    if (prune) this.pruner = new InboxPruner(dataSource, prune);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const physical = this.options.physicalTopic ?? ((t: string) => t);
      const { inboxPruner: _pruner, ...consumerOptions } = this.options;
      const logicalByPhysical = new Map<string, string>();
      for (const pattern of this.messageHandlers.keys()) logicalByPhysical.set(physical(pattern), pattern);
      this.runner = new ConsumerRunner(this.kafka, this.dataSource, {
        ...consumerOptions,
        topics: [...logicalByPhysical.keys()],
        handler: (message, manager) =>
          this.dispatch(logicalByPhysical.get(message.topic) ?? message.topic, message, manager),
      });
      await this.runner.start();
      this.pruner?.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.pruner?.stop();
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaInboxServer does not emit events');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }

  private async dispatch(
    pattern: string,
    message: IncomingMessage,
    manager: import('typeorm').EntityManager,
  ): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    const context = new KafkaInboxContext([message, manager]);
    const result = await handler(message.envelope, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
