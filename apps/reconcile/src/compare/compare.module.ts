import { Module } from '@nestjs/common';
import { CheckedCompareRepository } from './checked-compare.repository';
import { CompareService } from './compare.service';
import { DeviceCompareRepository } from './device-compare.repository';
import { InvoiceCompareRepository } from './invoice-compare.repository';
import { RunDiscrepanciesRepository } from './run-discrepancies.repository';
import { ScopeCompareRepository } from './scope-compare.repository';

/** The set-based comparison of a run into run_discrepancies; later modules see only the service. */
@Module({
  providers: [
    InvoiceCompareRepository,
    DeviceCompareRepository,
    CheckedCompareRepository,
    ScopeCompareRepository,
    RunDiscrepanciesRepository,
    CompareService,
  ],
  exports: [CompareService],
})
export class CompareModule {}
