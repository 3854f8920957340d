import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { GatewayAppModule } from './app.module';
import { loadGatewayConfig } from './gateway.config';

runMain(async () => {
  const config = loadGatewayConfig();
  await bootstrapService({
    module: GatewayAppModule.forRoot(config) as never,
    config,
    title: 'device-gateway',
    description: 'Authenticated ingest of invoices and device events from branch devices.',
    bearerAuth: true,
  });
});
