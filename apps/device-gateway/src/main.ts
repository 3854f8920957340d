import 'reflect-metadata';
import { bootstrapService, runMain } from '@lib/platform';
import { GatewayAppModule } from './app.module';
import { loadGatewayConfig } from './gateway.config';
import { gatewayHttpOptions } from './http-options';

runMain(async () => {
  const config = loadGatewayConfig();
  await bootstrapService({
    ...gatewayHttpOptions(config),
    module: GatewayAppModule.forRoot(config) as never,
    config,
  });
});
