import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ALL_DLQ_TOPICS } from '@lib/contracts';
import {
  ConsumerRunner,
  KAFKA_CLIENT,
  KAFKA_SETTINGS,
  KafkaSettings,
  MessageDecoder,
  topicName,
} from '@lib/messaging';
import { DeadLetterArrival, readDeadLetter } from '../dead-letters/dead-letter.model';
import { NotifierMetrics } from '../notifications/notifier.metrics';
import { NotifierConfig } from '../notifier.config';
import { NOTIFIER_CONFIG, NOTIFIER_DLQ_CONSUMER_GROUP } from '../notifier.tokens';
import { RecordDeadLetterUseCase } from '../use-cases/record-dead-letter/record-dead-letter.use-case';

/** The envelope the watcher's decoder hands to its handler: the arrival read from the DLQ record. */
type DeadLetterEnvelope = {
  id: string;
  type: 'notifier.dead-letter';
  arrival: DeadLetterArrival;
};

/**
 * Consumes every `<topic>.dlq` with its own consumer group, through the same inbox-and-transaction runner as
 * the other handlers. Not an @OnTopic handler: the service's transport validates messages against their
 * topic's contract, and a DLQ record is by definition a message that failed that (or a later) check; it would
 * be dead-lettered again. This decoder accepts any record and keys it by its dead-letter identity.
 */
@Injectable()
export class DeadLetterWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadLetterWatcher');
  private runner?: ConsumerRunner<DeadLetterEnvelope>;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly dataSource: DataSource,
    private readonly recordDeadLetter: RecordDeadLetterUseCase,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly metrics: NotifierMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.NOTIFIER_DLQ_WATCH_ENABLED) return;
    this.runner = new ConsumerRunner<DeadLetterEnvelope>(this.kafka, this.dataSource, {
      groupId: topicName(this.settings, NOTIFIER_DLQ_CONSUMER_GROUP),
      topics: ALL_DLQ_TOPICS.map((t) => topicName(this.settings, t)),
      decode: this.decoder(),
      handler: async (message, manager) => {
        const { arrival } = message.envelope;
        this.metrics.deadLetter(arrival.dlqTopic, arrival.errorCode);
        this.metrics.recorded('dead_letter', await this.recordDeadLetter.execute(manager, arrival));
      },
    });
    await this.runner.start();
    this.logger.log(`watching ${ALL_DLQ_TOPICS.length} dead-letter topics`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
  }

  private decoder(): MessageDecoder<DeadLetterEnvelope> {
    const prefix = this.settings.topicPrefix ?? '';
    return (physical, value, headers) => {
      const logical = physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;
      const arrival = readDeadLetter(logical, headers, value);
      return { ok: true, envelope: { id: arrival.id, type: 'notifier.dead-letter', arrival } };
    };
  }
}
