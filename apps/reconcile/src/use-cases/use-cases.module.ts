import { DynamicModule, Module } from '@nestjs/common';
import { FindingsModule } from '../findings/findings.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ReconcileConfig } from '../reconcile.config';
import { RemediationModule } from '../remediation/remediation.module';
import { RunsModule } from '../runs/runs.module';
import { ActOnFindingUseCase } from './act-on-finding/act-on-finding.use-case';
import { GetDeviceComplianceUseCase } from './get-device-compliance/get-device-compliance.use-case';
import { GetFindingUseCase } from './get-finding/get-finding.use-case';
import { GetInvoiceTimelineUseCase } from './get-invoice-timeline/get-invoice-timeline.use-case';
import { GetReconciliationUseCase } from './get-reconciliation/get-reconciliation.use-case';
import { ListDeviceComplianceUseCase } from './list-device-compliance/list-device-compliance.use-case';
import { ListFindingsUseCase } from './list-findings/list-findings.use-case';
import { ListReconciliationsUseCase } from './list-reconciliations/list-reconciliations.use-case';
import { ProjectDeviceEventUseCase } from './project-device-event/project-device-event.use-case';
import { ProjectInvoiceEventUseCase } from './project-invoice-event/project-invoice-event.use-case';
import { ProjectSyncResultUseCase } from './project-sync-result/project-sync-result.use-case';
import { RequestReconciliationUseCase } from './request-reconciliation/request-reconciliation.use-case';
import {
  RunReconciliationModule,
  RunReconciliationOverrides,
} from './run-reconciliation/run-reconciliation.module';
import { SearchInvoicesUseCase } from './search-invoices/search-invoices.use-case';
import { SummarizeFindingsUseCase } from './summarize-findings/summarize-findings.use-case';

/** The use cases the controllers and Kafka handlers call. */
const EDGE_USE_CASES = [
  ProjectInvoiceEventUseCase,
  ProjectSyncResultUseCase,
  ProjectDeviceEventUseCase,
  RequestReconciliationUseCase,
  GetReconciliationUseCase,
  ListReconciliationsUseCase,
  ListFindingsUseCase,
  GetFindingUseCase,
  SummarizeFindingsUseCase,
  ActOnFindingUseCase,
  SearchInvoicesUseCase,
  GetInvoiceTimelineUseCase,
  ListDeviceComplianceUseCase,
  GetDeviceComplianceUseCase,
];

/** What a test swaps in the modules the use cases compose (the app's overrides carry it). */
export type UseCasesOverrides = RunReconciliationOverrides;

/**
 * Reconcile's use cases over the feature modules, which depend one way (projections → pull → compare → findings →
 * remediation → runs; docs/reconcile.md, "Modules"); a run itself is RunReconciliationModule's.
 */
@Module({})
export class ReconcileUseCasesModule {
  static forRoot(config: ReconcileConfig, overrides: UseCasesOverrides = {}): DynamicModule {
    return {
      module: ReconcileUseCasesModule,
      imports: [
        ProjectionsModule,
        FindingsModule,
        RemediationModule,
        RunsModule,
        RunReconciliationModule.forRoot(config, overrides),
      ],
      providers: EDGE_USE_CASES,
      exports: EDGE_USE_CASES,
    };
  }
}
