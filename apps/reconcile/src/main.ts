import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { ReconcileAppModule } from './app.module';
import { loadReconcileConfig } from './reconcile.config';
import { RECONCILE_CONSUMER_GROUP } from './reconcile.tokens';

runMain(async () => {
  const config = loadReconcileConfig();
  await bootstrapService({
    module: ReconcileAppModule.forRoot(config) as never,
    config,
    title: 'reconcile',
    description: 'Finds invoices that are not where they should be, explains why and remediates.',
    bearerAuth: true,
    consumerGroup: RECONCILE_CONSUMER_GROUP,
    partitionsConsumedConcurrently: 6,
  });
});
