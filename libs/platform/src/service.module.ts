import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MigrationInterface } from 'typeorm';
import {
  CreateInbox1763800000001,
  CreateOutbox1763800000000,
  CreateOutboxParked1763800000002,
  KafkaReadiness,
  MessagingModule,
  TopicSpec,
} from '@lib/messaging';
import { HealthModule, HttpMetricsMiddleware, LoggingModule } from '@lib/observability';
import { DatabaseModule, DatabaseReadiness, EntityClass } from '@lib/persistence';
import { kafkaSettingsFromConfig } from './kafka-config';
import { ServiceConfig } from './service-config';
import { AuditController, AuditLog, CreateAuditLog1766000000000 } from './audit';
import {
  AUTHENTICATOR,
  Authenticator,
  AuthGuard,
  PersonTokenVerifier,
  personTokenSettings,
  ServiceAccount,
} from './auth';

export interface ServiceModuleOptions {
  /** Service name: log field, Kafka client id, outbox relay id. */
  service: string;
  config: ServiceConfig;
  /** The service's own migrations; the outbox, inbox and outbox_parked tables are added here. */
  migrations?: (new () => MigrationInterface)[];
  entities?: EntityClass[];
  /** Topics this service needs; partitions and replication default to KAFKA_PARTITIONS / KAFKA_REPLICATION_FACTOR. */
  topics: (Omit<TopicSpec, 'partitions'> & { partitions?: number })[];
  /** Run the outbox relay in this process. */
  outbox?: boolean;
  /**
   * Whether /readyz requires Kafka (default) or only reports it (`informational`: for a service that keeps doing its
   * work while the brokers are away, like the gateway writing to its outbox). The database is always required.
   */
  kafkaReadiness?: 'required' | 'informational';
  /**
   * The machine callers of this service's API, each with the least roles it needs. People come with their IdP access
   * token (AUTH_* settings); both go through the one AuthGuard.
   */
  serviceAccounts?: ServiceAccount[];
}

/**
 * What every service shares: JSON logs, its own schema (migrated at start), Kafka with its topics,
 * the outbox relay, `/healthz`, `/readyz` (database + Kafka, or database only with Kafka reported) and `/metrics`.
 * A bad Kafka security setting (KAFKA_SSL*, KAFKA_SASL*) throws a ConfigError here, before anything connects.
 */
@Module({})
export class ServiceModule implements NestModule {
  static forRoot(options: ServiceModuleOptions): DynamicModule {
    const { config } = options;
    const kafkaRequired = (options.kafkaReadiness ?? 'required') === 'required';
    const settings = personTokenSettings(config);
    const authenticator = new Authenticator(
      options.serviceAccounts ?? [],
      settings ? new PersonTokenVerifier(settings) : null,
    );
    return {
      module: ServiceModule,
      global: true,
      controllers: [AuditController],
      providers: [
        { provide: AUTHENTICATOR, useValue: authenticator },
        AuthGuard,
        {
          provide: AuditLog,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new AuditLog(dataSource, options.service),
        },
      ],
      exports: [AUTHENTICATOR, AuthGuard, AuditLog],
      imports: [
        LoggingModule.forRoot(options.service, config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: options.service,
          entities: options.entities ?? [],
          migrations: [
            CreateOutbox1763800000000,
            CreateInbox1763800000001,
            CreateOutboxParked1763800000002,
            CreateAuditLog1766000000000,
            ...(options.migrations ?? []),
          ],
        }),
        MessagingModule.forRoot({
          settings: kafkaSettingsFromConfig(config, options.service),
          topics: options.topics.map((t) => ({
            ...t,
            partitions: t.partitions ?? config.KAFKA_PARTITIONS,
            replicationFactor: t.replicationFactor ?? config.KAFKA_REPLICATION_FACTOR,
          })),
          outbox: options.outbox ? { relayId: `${options.service}.${config.DB_SCHEMA}` } : undefined,
        }),
        HealthModule.forRoot(kafkaRequired ? [DatabaseReadiness, KafkaReadiness] : [DatabaseReadiness], {
          informational: kafkaRequired ? [] : [KafkaReadiness],
          metricsToken: config.METRICS_TOKEN,
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
