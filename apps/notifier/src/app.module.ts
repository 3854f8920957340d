import { DynamicModule, Module } from '@nestjs/common';
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
          topics: [{ name: 'reconcile.findings.v1', withDlq: true }],
        }),
      ],
    };
  }
}
