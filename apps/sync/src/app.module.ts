import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CLOCK, Clock, clockFromOffset } from '@lib/common';
import {
  InvoiceTargetAdapter,
  TargetRegistry,
  targetRegistry,
  TOKEN_STORE,
  TokenStore,
} from '@lib/providers';
import { AttemptRepository } from './delivery/attempt.repository';
import { DeliveryClaimRepository } from './delivery/delivery-claim.repository';
import { DeliveryCompletionService } from './delivery/delivery-completion.service';
import { DeliveryPlanner } from './delivery/delivery-planner.service';
import { DeliveryRelayRepository } from './delivery/delivery-relay.repository';
import { DeliveryMetrics } from './delivery/delivery.metrics';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryWorkersService } from './workers/delivery-workers.service';
import { RETRY_POLICY, retryPolicyFrom } from './delivery/retry.policy';
import { SyncResultsPublisher } from './delivery/sync-results.publisher';
import { ServiceModule } from '@lib/platform';
import { DeliveriesController } from './http/deliveries.controller';
import { RoutingController } from './http/routing.controller';
import { TargetsController } from './http/targets.controller';
import { LedgerReadsRepository } from './ledger/ledger-reads.repository';
import { LedgerRepository } from './ledger/ledger.repository';
import { InvoiceEventsController } from './messaging/invoice-events.controller';
import { SyncCommandsController } from './messaging/sync-commands.controller';
import { SYNC_MIGRATIONS } from './persistence/migrations';
import { ROUTING_DEFAULTS, RoutingRepository } from './routing/routing.repository';
import { SyncConfig } from './sync.config';
import { SYNC_CONFIG } from './sync.tokens';
import { PgTokenStore } from './targets/pg-token.store';
import { PlatformTokenRepository } from './targets/platform-token.repository';
import { TargetAdapters } from './targets/target-adapters';
import { createTargetAdapters } from './targets/target-adapters.factory';
import { DeliverUseCase } from './use-cases/deliver/deliver.use-case';
import { GetInvoiceDeliveriesUseCase } from './use-cases/get-invoice-deliveries/get-invoice-deliveries.use-case';
import { GetRoutingUseCase } from './use-cases/get-routing/get-routing.use-case';
import { ListDeliveriesUseCase } from './use-cases/list-deliveries/list-deliveries.use-case';
import { ListRoutingUseCase } from './use-cases/list-routing/list-routing.use-case';
import { RecordInvoiceEventUseCase } from './use-cases/record-invoice-event/record-invoice-event.use-case';
import { RemoveRoutingUseCase } from './use-cases/remove-routing/remove-routing.use-case';
import { ReopenDeliveryUseCase } from './use-cases/reopen-delivery/reopen-delivery.use-case';
import { RetryDeliveryUseCase } from './use-cases/retry-delivery/retry-delivery.use-case';
import { UpdateRoutingUseCase } from './use-cases/update-routing/update-routing.use-case';
import { DeviceEventsController } from './messaging/device-events.controller';
import { HostedDevicesRepository } from './remote-ops/hosted-devices.repository';
import { ProjectDeviceChangeUseCase } from './use-cases/project-device-change/project-device-change.use-case';
import { RemoteOpJobsRepository } from './remote-ops/remote-op-jobs.repository';
import { ListRemoteOpsUseCase } from './use-cases/list-remote-ops/list-remote-ops.use-case';
import { RetryRemoteOpUseCase } from './use-cases/retry-remote-op/retry-remote-op.use-case';
import { SetRemoteOpsSettingUseCase } from './use-cases/set-remote-ops-setting/set-remote-ops-setting.use-case';
import { RemoteOpsController } from './http/remote-ops.controller';
import { RemoteOpsEvents } from './remote-ops/remote-ops.events';
import { RemoteOpsMetrics } from './remote-ops/remote-ops.metrics';
import { RemoteOpsRunner } from './remote-ops/remote-ops.runner';
import { RemoteOpsScheduler } from './remote-ops/remote-ops.scheduler';
import { RemoteOpsSettingsRepository } from './remote-ops/remote-ops-settings.repository';

/** What tests (and only tests) swap: the adapters and the clock. */
export interface SyncModuleOverrides {
  adapters?: (tokens: TokenStore) => InvoiceTargetAdapter[];
  clock?: Clock;
}

@Module({})
export class SyncAppModule {
  static forRoot(config: SyncConfig, overrides: SyncModuleOverrides = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: SYNC_CONFIG, useValue: config },
      { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
      { provide: RETRY_POLICY, useValue: retryPolicyFrom(config) },
      {
        provide: ROUTING_DEFAULTS,
        useValue: { platforms: config.SYNC_DEFAULT_PLATFORMS, allowFailover: config.SYNC_DEFAULT_FAILOVER },
      },
      PlatformTokenRepository,
      { provide: TOKEN_STORE, useClass: PgTokenStore },
      { provide: TargetRegistry, useValue: targetRegistry },
      {
        provide: TargetAdapters,
        inject: [TOKEN_STORE, CLOCK, TargetRegistry],
        useFactory: (tokens: TokenStore, clock: Clock, registry: TargetRegistry) =>
          new TargetAdapters(
            overrides.adapters
              ? overrides.adapters(tokens)
              : createTargetAdapters(config, tokens, clock, registry),
            registry,
          ),
      },
      LedgerRepository,
      LedgerReadsRepository,
      RoutingRepository,
      DeliveryRepository,
      DeliveryRelayRepository,
      DeliveryClaimRepository,
      AttemptRepository,
      DeliveryMetrics,
      RemoteOpsMetrics,
      SyncResultsPublisher,
      DeliveryCompletionService,
      DeliveryPlanner,
      DeliverUseCase,
      DeliveryWorkersService,
      RecordInvoiceEventUseCase,
      ReopenDeliveryUseCase,
      RetryDeliveryUseCase,
      GetInvoiceDeliveriesUseCase,
      ListDeliveriesUseCase,
      GetRoutingUseCase,
      ListRoutingUseCase,
      UpdateRoutingUseCase,
      RemoveRoutingUseCase,
      HostedDevicesRepository,
      RemoteOpsSettingsRepository,
      RemoteOpJobsRepository,
      RemoteOpsEvents,
      RemoteOpsRunner,
      RemoteOpsScheduler,
      ProjectDeviceChangeUseCase,
      SetRemoteOpsSettingUseCase,
      ListRemoteOpsUseCase,
      RetryRemoteOpUseCase,
    ];
    return {
      module: SyncAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'sync',
          config,
          outbox: true,
          migrations: SYNC_MIGRATIONS,
          // The operators' scripts keep their bearer token; people come with their IdP access token.
          serviceAccounts: [{ name: 'admin-token', token: config.SYNC_ADMIN_TOKEN, roles: ['admin'] }],
          topics: [
            { name: 'invoice.events.v1', withDlq: true },
            { name: 'sync.commands.v1', withDlq: true },
            { name: 'sync.results.v1', withDlq: true },
            // consumed for device.changed (hosted devices); remote 抄报 / 清卡 outcomes are published on it
            { name: 'device.events.v1', withDlq: true },
          ],
        }),
      ],
      controllers: [
        InvoiceEventsController,
        SyncCommandsController,
        DeviceEventsController,
        RoutingController,
        DeliveriesController,
        TargetsController,
        RemoteOpsController,
      ],
      providers,
      exports: [TargetAdapters, TOKEN_STORE],
    };
  }
}
