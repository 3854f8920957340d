import { DynamicModule, Module } from '@nestjs/common';
import { ServiceModule } from '@lib/platform';
import { ReconcileConfig } from './reconcile.config';

@Module({})
export class ReconcileAppModule {
  static forRoot(config: ReconcileConfig): DynamicModule {
    return {
      module: ReconcileAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'reconcile',
          config,
          outbox: true,
          topics: [
            { name: 'invoice.events.v1', withDlq: true },
            { name: 'device.events.v1', withDlq: true },
            { name: 'sync.commands.v1', withDlq: true },
            { name: 'sync.results.v1', withDlq: true },
            { name: 'reconcile.findings.v1', withDlq: true },
          ],
        }),
      ],
    };
  }
}
