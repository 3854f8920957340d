import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK, clockFromOffset, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { AuthorityRecordsAdapter, providerSettingsFrom } from '@lib/providers';
import { ResilientHttpClient } from '@lib/resilience';
import { InvoiceCheckChannel } from '../pull/invoice-check.port';
import { VerificationCheckChannel } from '../pull/verification-check.channel';
import { ReconcileConfig } from '../reconcile.config';
import { DeviceResetsController } from './device-resets.controller';
import { DeviceResetsRepository } from './device-resets.repository';
import { DEVICE_RESET_SETTINGS, DeviceResetsService } from './device-resets.service';
import { GatewayAdminClient } from './gateway-admin.client';
import { ResetBackupService } from './reset-backup.service';
import { GATEWAY_ADMIN, ResetGatewaySteps } from './reset-gateway-steps';
import { RESET_CHECK_CHANNELS, RESET_PROBE_SETTINGS, ResetVerification } from './reset-verification';
import { ResetVerificationRepository } from './reset-verification.repository';

/** What a test swaps (the same fields as the app's overrides): the clock, the id source and the per-invoice channels. */
export interface DeviceResetsOverrides {
  clock?: Clock;
  ids?: IdSource;
  checkChannels?: InvoiceCheckChannel[];
  /** Given alone (a test of the listing channels), `verify` asks no per-invoice channel, as the app's pull does not. */
  channels?: unknown[];
}

/**
 * Guided device resets (docs/device-operations.md, "Guided reset"): the API, the steps, the backup and the checks. It
 * calls the gateway (RECONCILE_GATEWAY_*, breaker `device-gateway`) and, for `verify`, the authority's 查验 through its
 * own breaker (`reset-authority-verify`), so a reset's checks do not trip the runs' per-invoice pull or the reverse.
 */
@Module({})
export class DeviceResetsModule {
  static forRoot(config: ReconcileConfig, overrides: DeviceResetsOverrides = {}): DynamicModule {
    const clock = overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS);
    return {
      module: DeviceResetsModule,
      controllers: [DeviceResetsController],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: ID_SOURCE, useValue: overrides.ids ?? new CryptoIdSource() },
        { provide: DEVICE_RESET_SETTINGS, useValue: { stepLeaseMs: gatewayStepLeaseMs(config) } },
        {
          provide: GATEWAY_ADMIN,
          useFactory: () =>
            config.RECONCILE_GATEWAY_URL
              ? new GatewayAdminClient(
                  new ResilientHttpClient({
                    target: 'device-gateway',
                    baseURL: config.RECONCILE_GATEWAY_URL,
                    timeoutMs: config.RECONCILE_GATEWAY_TIMEOUT_MS,
                    maxSockets: 16,
                    breaker: {
                      resetTimeoutMs: config.RECONCILE_GATEWAY_BREAKER_RESET_MS,
                      volumeThreshold: 5,
                    },
                  }),
                  { attempts: config.RECONCILE_GATEWAY_ATTEMPTS, backoffMs: 200 },
                )
              : null,
        },
        {
          provide: RESET_CHECK_CHANNELS,
          useFactory: (): InvoiceCheckChannel[] => {
            if (overrides.checkChannels) return overrides.checkChannels;
            if (overrides.channels || config.RECONCILE_PER_INVOICE_CHANNELS === 'none') return [];
            const authority = providerSettingsFrom(config).authority;
            return [
              new VerificationCheckChannel(
                'authority-verify',
                new AuthorityRecordsAdapter({ ...authority, name: 'reset-authority-verify' }, clock),
              ),
            ];
          },
        },
        {
          provide: RESET_PROBE_SETTINGS,
          useValue: {
            attempts: config.RECONCILE_PULL_PAGE_ATTEMPTS,
            backoffMs: config.RECONCILE_PULL_BACKOFF_MS,
            minIntervalMs: config.RECONCILE_CHECK_MIN_INTERVAL_MS,
          },
        },
        DeviceResetsRepository,
        ResetVerificationRepository,
        ResetVerification,
        ResetGatewaySteps,
        DeviceResetsService,
        ResetBackupService,
      ],
    };
  }
}

/** Longer than every try of the longest step (replace: look up, register or rotate, retire) with its pauses. */
function gatewayStepLeaseMs(config: ReconcileConfig): number {
  return Math.max(
    60_000,
    6 * config.RECONCILE_GATEWAY_ATTEMPTS * (config.RECONCILE_GATEWAY_TIMEOUT_MS + 1_000),
  );
}
