import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createKafka, KAFKA_SETTINGS, KafkaSettings, topicName } from './kafka/kafka-settings';
import { KAFKA_CLIENT } from './kafka/kafka.tokens';
import { KafkaReadiness } from './kafka/kafka-readiness';
import { ensureTopics, TopicSpec } from './kafka/topic-provisioner';
import { OutboxRelay, OutboxRelayOptions } from './outbox/outbox-relay';

export const OUTBOX_PROGRESS_TOPIC = 'outbox.progress.v1';

export interface MessagingModuleOptions {
  settings: KafkaSettings;
  /** Logical topic specs this service needs; created (with the prefix) at start-up when missing. */
  topics: TopicSpec[];
  /** Run the outbox relay in this process. */
  outbox?: Pick<OutboxRelayOptions, 'relayId' | 'batchSize' | 'batchBytes' | 'sendBytes' | 'idleDelayMs'>;
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

@Injectable()
export class TopicProvisioner implements OnModuleInit {
  private readonly logger = new Logger('Topics');
  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const specs = this.options.topics.map((t) => ({ ...t, name: topicName(this.options.settings, t.name) }));
    if (this.options.outbox) {
      specs.push({
        name: topicName(this.options.settings, OUTBOX_PROGRESS_TOPIC),
        partitions: 1,
        // As replicated as the service's own topics: with one copy, every relay of the cluster waited for that one
        // broker to come back when it died (seen on the three-broker cluster, test/cluster).
        replicationFactor: Math.max(1, ...this.options.topics.map((t) => t.replicationFactor ?? 1)),
        config: { 'cleanup.policy': 'compact', 'segment.ms': '600000', 'min.cleanable.dirty.ratio': '0.1' },
      });
    }
    // Several services create overlapping topics at once on a fresh cluster: a topic another service is still
    // creating answers UNKNOWN_TOPIC_OR_PARTITION for a moment, and consumers subscribing before its leaders are
    // elected fail. ensureTopics provisions, then waits until every topic has its leaders.
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, specs, {
        onRetry: (step, error, attempt) =>
          this.logger.warn(
            step === 'create'
              ? `topic provisioning: ${String((error as Error).message)}; retrying (${attempt})`
              : `waiting for topic leaders: ${String((error as Error).message)} (${attempt})`,
          ),
      });
      if (created.length) this.logger.log(`created topics: ${created.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }
}

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay?: OutboxRelay;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    if (options.outbox) {
      this.relay = new OutboxRelay(dataSource, kafka, {
        ...options.outbox,
        progressTopic: topicName(options.settings, OUTBOX_PROGRESS_TOPIC),
        kafkaPrefix: options.settings.topicPrefix,
      });
    }
  }

  onApplicationBootstrap(): void {
    this.relay?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}

/** Kafka client, topic provisioning, readiness and (optionally) the outbox relay for one service. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: KAFKA_SETTINGS, useValue: options.settings },
        { provide: KAFKA_CLIENT, useFactory: () => createKafka(options.settings) },
        TopicProvisioner,
        KafkaReadiness,
        OutboxRelayService,
      ],
      exports: [KAFKA_CLIENT, KAFKA_SETTINGS, KafkaReadiness, OutboxRelayService],
    };
  }
}
