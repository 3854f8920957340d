import { Module } from '@nestjs/common';
import { CompareModule } from '../compare/compare.module';
import { FindingsModule } from '../findings/findings.module';
import { MaintenanceWindowsRepository } from '../maintenance/maintenance-windows.repository';
import { ReconcileConfig } from '../reconcile.config';
import { RECONCILE_CONFIG } from '../reconcile.tokens';
import { RemediationModule } from '../remediation/remediation.module';
import { ComparePhaseService } from './compare-phase.service';
import { RECONCILE_RULES, rulesFrom } from './reconcile-rules';
import { RunMetrics } from './run.metrics';
import { RunSchedulerService } from './run-scheduler.service';
import { RunsRepository } from './runs.repository';

/**
 * Runs: the table, the scheduler, and the compare phase (comparison, then the findings merge with remediation). The
 * worker that executes runs is composed where the run-reconciliation use case is (RunReconciliationModule).
 */
@Module({
  imports: [CompareModule, FindingsModule, RemediationModule],
  providers: [
    {
      provide: RECONCILE_RULES,
      useFactory: (config: ReconcileConfig) => rulesFrom(config),
      inject: [RECONCILE_CONFIG],
    },
    RunsRepository,
    MaintenanceWindowsRepository,
    ComparePhaseService,
    RunSchedulerService,
    RunMetrics,
  ],
  exports: [RunsRepository, ComparePhaseService, RunMetrics],
})
export class RunsModule {}
