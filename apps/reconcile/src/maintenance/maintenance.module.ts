import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK, clockFromOffset, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { ReconcileConfig } from '../reconcile.config';
import { MaintenanceEventsPublisher } from './maintenance-events.publisher';
import { MaintenanceWindowsController } from './maintenance-windows.controller';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/** Maintenance windows: the admin API, the table and `maintenance.changed` (docs/maintenance.md). */
@Module({})
export class MaintenanceModule {
  static forRoot(config: ReconcileConfig, overrides: { clock?: Clock; ids?: IdSource } = {}): DynamicModule {
    return {
      module: MaintenanceModule,
      controllers: [MaintenanceWindowsController],
      providers: [
        { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
        { provide: ID_SOURCE, useValue: overrides.ids ?? new CryptoIdSource() },
        MaintenanceWindowsRepository,
        MaintenanceEventsPublisher,
        MaintenanceWindowsService,
      ],
    };
  }
}
