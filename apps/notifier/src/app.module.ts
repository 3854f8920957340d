import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lib/contracts';
import { ServiceModule } from '@lib/platform';
import { NotifierConfig } from './notifier.config';

@Module({})
export class NotifierAppModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'notifier',
          config,
          outbox: true,
          topics: [{ name: TOPICS.reconcileFindings, withDlq: true }],
        }),
      ],
    };
  }
}
