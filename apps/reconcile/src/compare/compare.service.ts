import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { periodEnd, periodStart } from '@lib/domain';
import { heldTypesAt } from '../maintenance/maintenance-hold.rules';
import { StepTimings } from '../step-timings';
import { CheckedCompareRepository } from './checked-compare.repository';
import { CompareParams } from './compare.model';
import { DeviceCompareRepository } from './device-compare.repository';
import { InvoiceCompareRepository } from './invoice-compare.repository';
import { RunDiscrepanciesRepository } from './run-discrepancies.repository';
import { ScopeCompareRepository } from './scope-compare.repository';

export type DiscrepancyCounts = Record<string, number>;

/** Runs every comparison of one run into run_discrepancies (replacing an earlier attempt's) and counts them by type. */
@Injectable()
export class CompareService {
  constructor(
    private readonly invoices: InvoiceCompareRepository,
    private readonly devices: DeviceCompareRepository,
    private readonly checked: CheckedCompareRepository,
    private readonly scope: ScopeCompareRepository,
    private readonly discrepancies: RunDiscrepanciesRepository,
    private readonly timings: StepTimings,
  ) {}

  /**
   * ANALYZE of the staged records, so that the comparison is planned from statistics that count the rows the pull
   * just wrote. Not inside the comparison's transaction: ANALYZE keeps its lock on the table until commit, so the
   * comparisons of other scopes would wait for this one. SKIP_LOCKED: if another run is analysing the table right
   * now, its statistics will do.
   */
  async refreshStatistics(m: EntityManager): Promise<void> {
    await this.invoices.refreshStatistics(m);
  }

  async compare(m: EntityManager, p: CompareParams): Promise<DiscrepancyCounts> {
    // each step's time goes to the run's timings (steps.compare)
    const step = (name: string, work: () => Promise<void>) => this.timings.time(p.runId, 'compare', name, work);
    await this.discrepancies.clear(m, p.runId);
    await step('prepare', () => this.invoices.prepare(m, p));
    if (p.pullComplete) {
      await step('missingInAuthority', () => this.invoices.missingInAuthority(m, p));
      await step('missingInLedger', () => this.invoices.missingInLedger(m, p));
    } else if (p.coverage === 'per-invoice') {
      // only what the run's checks found absent or pending; an invoice only the authority has cannot be seen (no MISSING_IN_LEDGER)
      await step('missingInAuthority', () => this.invoices.missingInAuthorityChecked(m, p));
    }
    await step('duplicates', () => this.invoices.duplicates(m, p));
    await step('amountMismatch', () => this.invoices.amountMismatch(m, p));
    // 查验 03 (the authority's copy differs, without its numbers): an answer only a per-invoice pull has
    if (p.coverage === 'per-invoice') await step('contentDiffers', () => this.checked.contentDiffers(m, p));
    await step('statusMismatch', () => this.invoices.statusMismatch(m, p));
    await step('contentMismatch', () => this.invoices.contentMismatch(m, p));
    await step('clearCard', () => this.devices.clearCard(m, p, periodStart(p.period), periodEnd(p.period)));
    await step('quiet', () => this.devices.quiet(m, p, periodStart(p.period), periodEnd(p.period)));
    await step('limits', () => this.devices.limits(m, p));
    await step('reportTotals', () => this.devices.reportTotals(m, p));
    await step('incomplete', () => this.scope.incomplete(m, p));
    // a maintenance window that holds a type as a whole (docs/maintenance.md): nothing of it is raised meanwhile
    await this.discrepancies.dropTypes(m, p.runId, heldTypesAt(p.maintenance ?? [], p.now));
    return this.discrepancies.countByType(m, p.runId);
  }
}
