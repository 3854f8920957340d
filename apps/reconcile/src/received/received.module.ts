import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK, clockFromOffset, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { FindingsModule } from '../findings/findings.module';
import { ReconcileConfig } from '../reconcile.config';
import { ReceivedChecksService } from './received-checks.service';
import { ReceivedFindings } from './received-findings';
import { ReceivedFindingsRepository } from './received-findings.repository';
import { ReceivedInvoicesController } from './received-invoices.controller';
import { ReceivedInvoicesRepository } from './received-invoices.repository';
import { ReceivedInvoicesService } from './received-invoices.service';
import { ReceivedRecheckService } from './received-recheck.service';
import { createReceivedVerifier } from './received-verifier.factory';
import { RECEIVED_SETTINGS, RECEIVED_VERIFIER, ReceivedSettings, ReceivedVerifier } from './received.settings';
import { VerificationQuotaRepository } from './verification-quota.repository';

/** What a test swaps: the clock, the id source and the verifier (the app's overrides carry them). */
export interface ReceivedOverrides {
  clock?: Clock;
  ids?: IdSource;
  receivedVerifier?: ReceivedVerifier;
}

/** Received invoices (进项) and their 查验: the API, the checks, their findings and the scheduled re-check. */
@Module({})
export class ReceivedModule {
  static forRoot(config: ReconcileConfig, overrides: ReceivedOverrides = {}): DynamicModule {
    return {
      module: ReceivedModule,
      imports: [FindingsModule],
      controllers: [ReceivedInvoicesController],
      providers: [
        { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
        { provide: ID_SOURCE, useValue: overrides.ids ?? new CryptoIdSource() },
        { provide: RECEIVED_SETTINGS, useValue: receivedSettingsFrom(config) },
        { provide: RECEIVED_VERIFIER, useFactory: () => overrides.receivedVerifier ?? createReceivedVerifier(config) },
        ReceivedInvoicesRepository,
        VerificationQuotaRepository,
        ReceivedFindingsRepository,
        ReceivedFindings,
        ReceivedChecksService,
        ReceivedInvoicesService,
        ReceivedRecheckService,
      ],
      exports: [ReceivedRecheckService, ReceivedChecksService],
    };
  }
}

export function receivedSettingsFrom(config: ReconcileConfig): ReceivedSettings {
  return {
    dailyQuota: config.RECONCILE_RECEIVED_DAILY_QUOTA,
    recheckEnabled: config.RECONCILE_WORKERS_ENABLED && config.RECONCILE_RECEIVED_RECHECK_ENABLED,
    recheckPollMs: config.RECONCILE_RECEIVED_RECHECK_POLL_MS,
    recheckBatch: config.RECONCILE_RECEIVED_RECHECK_BATCH,
    recheckAfterMs: config.RECONCILE_RECEIVED_RECHECK_AFTER_MS,
    retryAfterMs: 15 * 60_000,
    claimMs: 10 * 60_000,
    visibilityLagMs: config.RECONCILE_VISIBILITY_LAG_MS,
  };
}
