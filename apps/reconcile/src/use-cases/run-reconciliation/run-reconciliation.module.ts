import { DynamicModule, Module } from '@nestjs/common';
import { DeviceStatusModule, DeviceStatusOverrides } from '../../device-status/device-status.module';
import { PullModule, PullOverrides } from '../../pull/pull.module';
import { ReconcileConfig } from '../../reconcile.config';
import { RUN_EXECUTOR } from '../../runs/run-executor.port';
import { RunWorkerService } from '../../runs/run-worker.service';
import { RunsModule } from '../../runs/runs.module';
import { RunReconciliationUseCase } from './run-reconciliation.use-case';

/** What a test swaps in a run's modules (the app's overrides carry it): the authority's channels and clear-card reader. */
export type RunReconciliationOverrides = PullOverrides & DeviceStatusOverrides;

/**
 * A run, whole: the pull, the clear-card cross-check, the compare phase and the worker that claims runs, which executes
 * them through the interface it owns (RUN_EXECUTOR), bound here to the use case. The benchmark composes this module.
 */
@Module({})
export class RunReconciliationModule {
  static forRoot(config: ReconcileConfig, overrides: RunReconciliationOverrides = {}): DynamicModule {
    return {
      module: RunReconciliationModule,
      imports: [
        PullModule.forRoot(config, overrides),
        RunsModule,
        DeviceStatusModule.forRoot(config, overrides),
      ],
      providers: [
        RunReconciliationUseCase,
        { provide: RUN_EXECUTOR, useExisting: RunReconciliationUseCase },
        RunWorkerService,
      ],
      // the device board's use cases read DeviceStatusModule's repository, the invoice timeline the pull's staged records
      exports: [RunReconciliationUseCase, DeviceStatusModule, PullModule],
    };
  }
}
