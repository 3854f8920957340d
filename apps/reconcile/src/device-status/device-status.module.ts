import { DynamicModule, Module } from '@nestjs/common';
import { ReconcileConfig } from '../reconcile.config';
import { RunsModule } from '../runs/runs.module';
import { ClearCardChecksRepository } from './clear-card-checks.repository';
import {
  CLEAR_CARD_CHECK_SETTINGS,
  CLEAR_CARD_CROSS_CHECK,
  CLEAR_CARD_READER,
  ClearCardCrossCheckService,
  ClearCardReader,
} from './clear-card-cross-check.service';
import { createClearCardReader } from './clear-card-reader.factory';
import { DeviceComplianceRepository } from './device-compliance.repository';
import { DEVICE_NUMBERS } from './device-number.port';
import { ProjectedDeviceNumbers } from './projected-device-numbers.repository';

/** What a test swaps (the app's overrides carry it): the authority's clear-card status. */
export interface DeviceStatusOverrides {
  /** By default the AUTHORITY_* connection (its own breaker). */
  clearCardReader?: ClearCardReader;
}

/** Devices' standing: the clear-card cross-check a run asks before its comparison, and the compliance board. */
@Module({})
export class DeviceStatusModule {
  static forRoot(config: ReconcileConfig, overrides: DeviceStatusOverrides = {}): DynamicModule {
    return {
      module: DeviceStatusModule,
      imports: [RunsModule],
      providers: [
        { provide: DEVICE_NUMBERS, useClass: ProjectedDeviceNumbers },
        {
          provide: CLEAR_CARD_READER,
          useFactory: () => overrides.clearCardReader ?? createClearCardReader(config),
        },
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
        DeviceComplianceRepository,
      ],
      exports: [CLEAR_CARD_CROSS_CHECK, DeviceComplianceRepository],
    };
  }
}
