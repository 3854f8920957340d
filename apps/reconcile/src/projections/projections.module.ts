import { Module } from '@nestjs/common';
import { DeviceProjectionRepository } from './device-projection.repository';
import { LedgerProjectionRepository } from './ledger-projection.repository';
import { LedgerQueryRepository } from './ledger-query.repository';
import { SyncProjectionRepository } from './sync-projection.repository';

/** The projections of the ledger, the deliveries and the devices, kept from their events (docs/reconcile.md, "Inputs"). */
@Module({
  providers: [
    LedgerProjectionRepository,
    LedgerQueryRepository,
    SyncProjectionRepository,
    DeviceProjectionRepository,
  ],
  exports: [
    LedgerProjectionRepository,
    LedgerQueryRepository,
    SyncProjectionRepository,
    DeviceProjectionRepository,
  ],
})
export class ProjectionsModule {}
