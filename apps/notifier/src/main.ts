import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { NotifierAppModule } from './app.module';
import { loadNotifierConfig } from './notifier.config';
import { NOTIFIER_CONSUMER_GROUP } from './notifier.tokens';

runMain(async () => {
  const config = loadNotifierConfig();
  await bootstrapService({
    module: NotifierAppModule.forRoot(config) as never,
    config,
    title: 'notifier',
    description:
      'Turns findings, dead or rejected invoice deliveries and dead-lettered messages into email and SMS alerts: routing, digests, escalation, delivery log.',
    bearerAuth: true,
    consumerGroup: NOTIFIER_CONSUMER_GROUP,
    partitionsConsumedConcurrently: 3,
  });
});
