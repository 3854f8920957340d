import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { SyncAppModule } from './app.module';
import { loadSyncConfig } from './sync.config';
import { SYNC_CONSUMER_GROUP } from './sync.tokens';

runMain(async () => {
  const config = loadSyncConfig();
  await bootstrapService({
    module: SyncAppModule.forRoot(config) as never,
    config,
    title: 'sync',
    description:
      'Keeps the invoice ledger and delivers every invoice to the tax authority and the platforms.',
    bearerAuth: true,
    consumerGroup: SYNC_CONSUMER_GROUP,
    partitionsConsumedConcurrently: 6,
  });
});
