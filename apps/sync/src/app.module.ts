import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lib/contracts';
import { ServiceModule } from '@lib/platform';
import { SyncConfig } from './sync.config';

@Module({})
export class SyncAppModule {
  static forRoot(config: SyncConfig): DynamicModule {
    return {
      module: SyncAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'sync',
          config,
          outbox: true,
          topics: [
            { name: TOPICS.invoiceEvents, withDlq: true },
            { name: TOPICS.syncCommands, withDlq: true },
            { name: TOPICS.syncResults, withDlq: true },
          ],
        }),
      ],
    };
  }
}
