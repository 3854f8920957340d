import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lib/contracts';
import { ServiceModule } from '@lib/platform';
import { GatewayConfig } from './gateway.config';
import { DevicesAdminModule } from './devices/devices-admin.module';
import { GatewayCoreModule } from './gateway-core.module';
import { IngestModule } from './ingest/ingest.module';
import { GATEWAY_MIGRATIONS } from './persistence/migrations';

@Module({})
export class GatewayAppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'device-gateway',
          config,
          outbox: config.GATEWAY_OUTBOX_RELAY,
          // The gateway accepts invoices into its outbox while Kafka is down: only the database makes it unready.
          // Kafka stays visible in /readyz (`required: false`) and in readiness_check_up{check="kafka"}.
          kafkaReadiness: 'informational',
          migrations: GATEWAY_MIGRATIONS,
          // The operators' scripts and the demo keep their bearer token; people come with their IdP access token.
          serviceAccounts: [{ name: 'admin-token', token: config.GATEWAY_ADMIN_TOKEN, roles: ['admin'] }],
          topics: [
            { name: TOPICS.invoiceEvents, withDlq: true },
            { name: TOPICS.deviceEvents, withDlq: true },
          ],
        }),
        GatewayCoreModule.forRoot(config),
        DevicesAdminModule,
        IngestModule,
      ],
    };
  }
}
