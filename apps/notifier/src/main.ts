import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { NotifierAppModule } from './app.module';
import { loadNotifierConfig } from './notifier.config';

runMain(async () => {
  const config = loadNotifierConfig();
  await bootstrapService({
    module: NotifierAppModule.forRoot(config) as never,
    config,
    title: 'notifier',
    description: 'Turns findings into email and SMS alerts for finance staff.',
    bearerAuth: true,
  });
});
