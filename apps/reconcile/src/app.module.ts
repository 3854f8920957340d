import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lib/contracts';
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
            { name: TOPICS.invoiceEvents, withDlq: true },
            { name: TOPICS.deviceEvents, withDlq: true },
            { name: TOPICS.syncCommands, withDlq: true },
            { name: TOPICS.syncResults, withDlq: true },
            { name: TOPICS.reconcileFindings, withDlq: true },
          ],
        }),
      ],
    };
  }
}
