import { DynamicModule, Module } from '@nestjs/common';
import { ServiceModule } from '@lib/platform';
import { GatewayConfig } from './gateway.config';

@Module({})
export class GatewayAppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'device-gateway',
          config,
          outbox: true,
          topics: [
            { name: 'invoice.events.v1', withDlq: true },
            { name: 'device.events.v1', withDlq: true },
          ],
        }),
      ],
    };
  }
}
