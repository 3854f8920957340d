import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lib/contracts';
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
            { name: TOPICS.invoiceEvents, withDlq: true },
            { name: TOPICS.deviceEvents, withDlq: true },
          ],
        }),
      ],
    };
  }
}
