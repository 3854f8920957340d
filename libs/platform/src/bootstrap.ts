import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  KAFKA_CLIENT,
  KAFKA_SETTINGS,
  KafkaInboxServer,
  KafkaSettings,
  RethrowRpcFilter,
  topicName,
} from '@lib/messaging';
import { createHttpService, HttpServiceOptions } from '@lib/observability';
import { contractDecoder } from './kafka-edge';
import { docsEnabled, ServiceConfig } from './service-config';

export interface ServiceBootstrapOptions extends Omit<HttpServiceOptions, 'module'> {
  module: Type<unknown>;
  config: ServiceConfig;
  /** Consume the topics of this app's @EventPattern handlers with this consumer group. */
  consumerGroup?: string;
  partitionsConsumedConcurrently?: number;
}

/**
 * Starts one service: HTTP (API, health, metrics, docs) and, when it consumes, the Kafka inbox transport.
 *
 * HTTP listens first, and the consumers join their group in the background: a join can take a whole session timeout
 * (after a SIGKILL the group waits for the dead member, 30 s), and meanwhile the process must answer its probes
 * (liveness at once, readiness as the database and the brokers answer) and its API. A consumer that fails to start is
 * still fatal: the process exits 1 as it did when the failure happened before listening.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  const app = await createHttpService({ ...options, docs: options.docs ?? docsEnabled(options.config) });
  if (options.consumerGroup) {
    // Module hooks first: topics must exist before the consumer subscribes to them.
    await app.init();
    connectConsumers(app, options.consumerGroup, options.partitionsConsumedConcurrently);
  }
  await app.listen(options.config.PORT, options.config.HTTP_HOST);
  const logger = new NestLogger('Bootstrap');
  logger.log(`${options.title} listening on ${await app.getUrl()}`);
  const stopping = stopOnSignals(app, options.config.SHUTDOWN_TIMEOUT_MS);
  if (options.consumerGroup) {
    app.startAllMicroservices().then(
      () => logger.log(`${options.title} consumers joined group ${options.consumerGroup}`),
      (error: unknown) => {
        // A consumer torn down by a shutdown (HTTP already closed) is not a start-up failure.
        if (stopping() || !app.getHttpServer().listening) return;
        process.stderr.write(
          `consumers failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  }
  return app;
}

function connectConsumers(
  app: INestApplication,
  group: string,
  partitionsConsumedConcurrently?: number,
): void {
  const settings = app.get<KafkaSettings>(KAFKA_SETTINGS);
  const prefix = settings.topicPrefix ?? '';
  const microservice = app.connectMicroservice(
    {
      strategy: new KafkaInboxServer(app.get<Kafka>(KAFKA_CLIENT), app.get(DataSource), {
        groupId: topicName(settings, group),
        physicalTopic: (logical) => topicName(settings, logical),
        decode: contractDecoder((physical) =>
          physical.startsWith(prefix) ? physical.slice(prefix.length) : physical,
        ),
        partitionsConsumedConcurrently,
      }),
    },
    // Deferred, so the filter below is registered before the listeners are built (they read it then).
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcFilter());
  // The shared container's init hooks already ran with app.init(): not a second time.
  (microservice as unknown as { setIsInitHookCalled?: (called: boolean) => void }).setIsInitHookCalled?.(
    true,
  );
}

/**
 * SIGTERM/SIGINT: stop taking work, let consumers and the relay finish their current batch, close
 * connections, exit 0. Returns whether a signal started the shutdown. A shutdown that hangs past the timeout exits 1 (the orchestrator restarts us;
 * nothing is lost, since nothing is acknowledged before it is committed).
 */
function stopOnSignals(app: INestApplication, timeoutMs: number): () => boolean {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const logger = new NestLogger('Shutdown');
    logger.log(`${signal} received; shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return () => stopping;
}

/** Runs `main` and turns a start-up failure into one clear line and exit code 1. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
