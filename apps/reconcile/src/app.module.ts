import { DynamicModule, Module } from '@nestjs/common';
import { Clock, clockFromOffset, IdSource } from '@lib/common';
import { TOPICS } from '@lib/contracts';
import { ServiceModule } from '@lib/platform';
import { CorrectionsModule } from './corrections/corrections.module';
import { DeviceResetsModule } from './device-resets/device-resets.module';
import { DevicesController } from './http/devices.controller';
import { FindingsController } from './http/findings.controller';
import { InvoicesController } from './http/invoices.controller';
import { ReconciliationsController } from './http/reconciliations.controller';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ProjectionEventsController } from './messaging/projection-events.controller';
import { RECONCILE_MIGRATIONS } from './persistence/migrations';
import { ReceivedModule, ReceivedOverrides } from './received/received.module';
import { ReconcileConfig } from './reconcile.config';
import { ReconcileCoreModule } from './reconcile-core.module';
import { ReconcileUseCasesModule, UseCasesOverrides } from './use-cases/use-cases.module';

/** What tests (and only tests) swap: the authority channels and clear-card reader, the clock. */
export interface ReconcileModuleOverrides extends UseCasesOverrides {
  clock?: Clock;
  /** Where new ids come from (a CSPRNG by default). */
  ids?: IdSource;
  /** Received invoices' 查验 channels; by default RECONCILE_RECEIVED_CHANNELS over the AUTHORITY_* and BAIWANG_* connections. */
  receivedVerifier?: ReceivedOverrides['receivedVerifier'];
}

/**
 * Reconcile's composition root: the platform (HTTP, Kafka, PostgreSQL, outbox), the core every module reads (config,
 * clock, step timings), the use cases over the feature modules, the features beside them, and the edge's controllers.
 */
@Module({})
export class ReconcileAppModule {
  static forRoot(config: ReconcileConfig, overrides: ReconcileModuleOverrides = {}): DynamicModule {
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
        ReconcileCoreModule.forRoot(config, overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS), overrides.ids),
        ReconcileUseCasesModule.forRoot(config, overrides),
        DeviceResetsModule.forRoot(config, overrides),
        CorrectionsModule.forRoot(config, overrides),
        ReceivedModule.forRoot(config, overrides),
        MaintenanceModule.forRoot(config, overrides),
      ],
      controllers: [ProjectionEventsController, ReconciliationsController, FindingsController, InvoicesController, DevicesController],
    };
  }
}
