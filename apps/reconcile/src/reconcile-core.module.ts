import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, CLOCK, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { ReconcileConfig } from './reconcile.config';
import { RECONCILE_CONFIG } from './reconcile.tokens';
import { StepTimings } from './step-timings';

/** What every reconcile module reads: the parsed configuration, the clock, new ids, and where a run's steps are timed. */
@Global()
@Module({})
export class ReconcileCoreModule {
  static forRoot(config: ReconcileConfig, clock: Clock, ids: IdSource = new CryptoIdSource()): DynamicModule {
    return {
      module: ReconcileCoreModule,
      providers: [
        { provide: RECONCILE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: ID_SOURCE, useValue: ids },
        StepTimings,
      ],
      exports: [RECONCILE_CONFIG, CLOCK, ID_SOURCE, StepTimings],
    };
  }
}
