import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CLOCK, Clock, clockFromOffset } from '@lib/common';
import { TOPICS } from '@lib/contracts';
import { ServiceModule } from '@lib/platform';
import { CheckedCompareRepository } from './compare/checked-compare.repository';
import { CompareService } from './compare/compare.service';
import { DeviceCompareRepository } from './compare/device-compare.repository';
import { InvoiceCompareRepository } from './compare/invoice-compare.repository';
import { ClearCardChecksRepository } from './device-status/clear-card-checks.repository';
import {
  CLEAR_CARD_CHECK_SETTINGS,
  CLEAR_CARD_CROSS_CHECK,
  CLEAR_CARD_READER,
  ClearCardCrossCheckService,
  ClearCardReader,
} from './device-status/clear-card-cross-check.service';
import { createClearCardReader } from './device-status/clear-card-reader.factory';
import { DeviceComplianceRepository } from './device-status/device-compliance.repository';
import { CorrectionsModule } from './corrections/corrections.module';
import { DeviceResetsModule } from './device-resets/device-resets.module';
import { ReceivedModule, ReceivedOverrides } from './received/received.module';
import { DEVICE_NUMBERS } from './device-status/device-number.port';
import { ProjectedDeviceNumbers } from './device-status/projected-device-numbers.repository';
import { FindingEventsPublisher } from './findings/finding-events.publisher';
import { FindingsMergeService } from './findings/findings-merge.service';
import { FindingsQueryRepository } from './findings/findings-query.repository';
import { FindingsRepository } from './findings/findings.repository';
import { DevicesController } from './http/devices.controller';
import { FindingsController } from './http/findings.controller';
import { InvoicesController } from './http/invoices.controller';
import { ReconciliationsController } from './http/reconciliations.controller';
import { ProjectionEventsController } from './messaging/projection-events.controller';
import { RECONCILE_MIGRATIONS } from './persistence/migrations';
import { DeviceProjectionRepository } from './projections/device-projection.repository';
import { LedgerProjectionRepository } from './projections/ledger-projection.repository';
import { LedgerQueryRepository } from './projections/ledger-query.repository';
import { SyncProjectionRepository } from './projections/sync-projection.repository';
import { AUTHORITY_CHANNELS, AuthorityListChannel } from './pull/authority-list.port';
import { createAuthorityChannels } from './pull/authority-channels.factory';
import { AuthorityChecksRepository } from './pull/authority-checks.repository';
import { INVOICE_CHECK_CHANNELS, InvoiceCheckChannel } from './pull/invoice-check.port';
import { createInvoiceCheckChannels } from './pull/invoice-check-channels.factory';
import { LedgerScopeRepository } from './pull/ledger-scope.repository';
import { PER_INVOICE_SETTINGS, PerInvoicePullService } from './pull/per-invoice-pull.service';
import { PULL_SETTINGS, PullService } from './pull/pull.service';
import { StagingRepository } from './pull/staging.repository';
import { ReconcileConfig } from './reconcile.config';
import { RECONCILE_CONFIG } from './reconcile.tokens';
import { CorrectionRequestsRepository } from './remediation/correction-requests.repository';
import { CorrectionTrackerService } from './remediation/correction-tracker.service';
import { correctionTrackingFrom, createRedFormReader } from './remediation/correction-tracking.factory';
import { CORRECTION_TRACKING, RED_FORM_READER } from './remediation/red-form.port';
import { RemediationRepository } from './remediation/remediation.repository';
import { ReuploadPublisher } from './remediation/reupload.publisher';
import { ComparePhaseService } from './runs/compare-phase.service';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MaintenanceWindowsRepository } from './maintenance/maintenance-windows.repository';
import { RECONCILE_RULES, rulesFrom } from './runs/reconcile-rules';
import { RunSchedulerService } from './runs/run-scheduler.service';
import { RunWorkerService } from './runs/run-worker.service';
import { RunsRepository } from './runs/runs.repository';
import { ActOnFindingUseCase } from './use-cases/act-on-finding/act-on-finding.use-case';
import { GetDeviceComplianceUseCase } from './use-cases/get-device-compliance/get-device-compliance.use-case';
import { GetFindingUseCase } from './use-cases/get-finding/get-finding.use-case';
import { GetInvoiceTimelineUseCase } from './use-cases/get-invoice-timeline/get-invoice-timeline.use-case';
import { GetReconciliationUseCase } from './use-cases/get-reconciliation/get-reconciliation.use-case';
import { ListDeviceComplianceUseCase } from './use-cases/list-device-compliance/list-device-compliance.use-case';
import { ListFindingsUseCase } from './use-cases/list-findings/list-findings.use-case';
import { ListReconciliationsUseCase } from './use-cases/list-reconciliations/list-reconciliations.use-case';
import { ProjectDeviceEventUseCase } from './use-cases/project-device-event/project-device-event.use-case';
import { ProjectInvoiceEventUseCase } from './use-cases/project-invoice-event/project-invoice-event.use-case';
import { ProjectSyncResultUseCase } from './use-cases/project-sync-result/project-sync-result.use-case';
import { RequestReconciliationUseCase } from './use-cases/request-reconciliation/request-reconciliation.use-case';
import { RunReconciliationUseCase } from './use-cases/run-reconciliation/run-reconciliation.use-case';
import { SearchInvoicesUseCase } from './use-cases/search-invoices/search-invoices.use-case';
import { SummarizeFindingsUseCase } from './use-cases/summarize-findings/summarize-findings.use-case';

/** What tests (and only tests) swap: the authority channels and clear-card reader, the clock. */
export interface ReconcileModuleOverrides {
  channels?: AuthorityListChannel[];
  /** The authority's clear-card status; by default the AUTHORITY_* connection (its own breaker). */
  clearCardReader?: ClearCardReader;
  /** Per-invoice channels; when only `channels` is given, none (a test of the listing channels stays on them). */
  checkChannels?: InvoiceCheckChannel[];
  clock?: Clock;
  /** Received invoices' 查验 channels; by default RECONCILE_RECEIVED_CHANNELS over the AUTHORITY_* and BAIWANG_* connections. */
  receivedVerifier?: ReceivedOverrides['receivedVerifier'];
}

@Module({})
export class ReconcileAppModule {
  static forRoot(config: ReconcileConfig, overrides: ReconcileModuleOverrides = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: RECONCILE_CONFIG, useValue: config },
      { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
      { provide: RECONCILE_RULES, useValue: rulesFrom(config) },
      { provide: AUTHORITY_CHANNELS, useFactory: () => overrides.channels ?? createAuthorityChannels(config) },
      {
        provide: INVOICE_CHECK_CHANNELS,
        useFactory: () => overrides.checkChannels ?? (overrides.channels ? [] : createInvoiceCheckChannels(config)),
      },
      {
        provide: PER_INVOICE_SETTINGS,
        useValue: {
          pageSize: config.RECONCILE_PULL_PAGE_SIZE,
          attempts: config.RECONCILE_PULL_PAGE_ATTEMPTS,
          backoffMs: config.RECONCILE_PULL_BACKOFF_MS,
          minIntervalMs: config.RECONCILE_CHECK_MIN_INTERVAL_MS,
          maxChecks: config.RECONCILE_PER_INVOICE_MAX_CHECKS,
          reuseMs: config.RECONCILE_CHECK_REUSE_MS,
          visibilityLagMs: config.RECONCILE_VISIBILITY_LAG_MS,
          leaseMs: config.RECONCILE_RUN_LEASE_MS,
        },
      },
      {
        provide: PULL_SETTINGS,
        useValue: {
          pageSize: config.RECONCILE_PULL_PAGE_SIZE,
          minIntervalMs: config.RECONCILE_PULL_MIN_INTERVAL_MS,
          pageAttempts: config.RECONCILE_PULL_PAGE_ATTEMPTS,
          backoffMs: config.RECONCILE_PULL_BACKOFF_MS,
          leaseMs: config.RECONCILE_RUN_LEASE_MS,
        },
      },
      { provide: DEVICE_NUMBERS, useClass: ProjectedDeviceNumbers },
      { provide: CLEAR_CARD_READER, useFactory: () => overrides.clearCardReader ?? createClearCardReader(config) },
      {
        provide: CLEAR_CARD_CHECK_SETTINGS,
        useValue: {
          maxChecks: config.RECONCILE_CLEAR_CARD_CHECKS_MAX,
          minIntervalMs: config.RECONCILE_CLEAR_CARD_MIN_INTERVAL_MS,
          leaseMs: config.RECONCILE_RUN_LEASE_MS,
        },
      },
      ClearCardChecksRepository,
      ClearCardCrossCheckService,
      { provide: CLEAR_CARD_CROSS_CHECK, useExisting: ClearCardCrossCheckService },
      LedgerProjectionRepository,
      LedgerQueryRepository,
      SyncProjectionRepository,
      DeviceProjectionRepository,
      InvoiceCompareRepository,
      DeviceCompareRepository,
      CheckedCompareRepository,
      CompareService,
      FindingsRepository,
      FindingsQueryRepository,
      FindingEventsPublisher,
      ReuploadPublisher,
      RemediationRepository,
      CorrectionRequestsRepository,
      { provide: RED_FORM_READER, useFactory: () => createRedFormReader(config) },
      { provide: CORRECTION_TRACKING, useValue: correctionTrackingFrom(config) },
      CorrectionTrackerService,
      FindingsMergeService,
      ComparePhaseService,
      MaintenanceWindowsRepository,
      StagingRepository,
      LedgerScopeRepository,
      AuthorityChecksRepository,
      PerInvoicePullService,
      RunsRepository,
      PullService,
      RunWorkerService,
      RunSchedulerService,
      ProjectInvoiceEventUseCase,
      ProjectSyncResultUseCase,
      ProjectDeviceEventUseCase,
      RunReconciliationUseCase,
      RequestReconciliationUseCase,
      GetReconciliationUseCase,
      ListFindingsUseCase,
      GetFindingUseCase,
      SummarizeFindingsUseCase,
      SearchInvoicesUseCase,
      ListReconciliationsUseCase,
      ActOnFindingUseCase,
      GetInvoiceTimelineUseCase,
      DeviceComplianceRepository,
      ListDeviceComplianceUseCase,
      GetDeviceComplianceUseCase,
    ];
    return {
      module: ReconcileAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'reconcile',
          config,
          outbox: true,
          migrations: RECONCILE_MIGRATIONS,
          // The operators' scripts and the demo's automation; people come with their IdP access token (AUTH_*).
          serviceAccounts: [{ name: 'api-token', token: config.RECONCILE_API_TOKEN, roles: ['finance-manager'] }],
          topics: [
            { name: TOPICS.invoiceEvents, withDlq: true },
            { name: TOPICS.deviceEvents, withDlq: true },
            { name: TOPICS.syncCommands, withDlq: true },
            { name: TOPICS.syncResults, withDlq: true },
            { name: TOPICS.reconcileFindings, withDlq: true },
            { name: TOPICS.reconcileMaintenance, withDlq: true },
          ],
        }),
        DeviceResetsModule.forRoot(config, overrides),
        CorrectionsModule.forRoot(config, overrides),
        ReceivedModule.forRoot(config, overrides),
        MaintenanceModule.forRoot(config, overrides),
      ],
      controllers: [ProjectionEventsController, ReconciliationsController, FindingsController, InvoicesController, DevicesController],
      providers,
      exports: [RunWorkerService, RunSchedulerService],
    };
  }
}
