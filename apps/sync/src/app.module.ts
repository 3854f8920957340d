import { DynamicModule, Module } from '@nestjs/common';
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
            { name: 'invoice.events.v1', withDlq: true },
            { name: 'sync.commands.v1', withDlq: true },
            { name: 'sync.results.v1', withDlq: true },
          ],
        }),
      ],
    };
  }
}
