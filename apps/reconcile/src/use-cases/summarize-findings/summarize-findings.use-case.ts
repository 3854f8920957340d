import { Injectable } from '@nestjs/common';
import { BranchScope } from '@lib/platform';
import { FindingsQueryRepository, FindingsSummary } from '../../findings/findings-query.repository';
import { FindingsSummaryQuery } from '../../findings/finding-filters';

/** The console's overview: open findings by type, severity and state, open and all by branch and period, within scope. */
@Injectable()
export class SummarizeFindingsUseCase {
  constructor(private readonly findings: FindingsQueryRepository) {}

  execute(scope: BranchScope, q: FindingsSummaryQuery): Promise<FindingsSummary> {
    return this.findings.summary(scope, q);
  }
}
