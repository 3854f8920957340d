import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

/** Answers an unknown finding and one outside the caller's branches alike (the caller learns nothing of other branches). */
export function findingNotFound(id: string): AppError {
  return new AppError(ReconcileErrorCode.FINDING_NOT_FOUND, 'not_found', `finding ${id} does not exist`);
}

/** One finding with its whole history, within the caller's scope. */
@Injectable()
export class GetFindingUseCase {
  constructor(
    private readonly findings: FindingsQueryRepository,
    private readonly dataSource: DataSource,
  ) {}

  async execute(scope: BranchScope, id: string) {
    const finding = await this.findings.get(this.dataSource.manager, id, scope);
    if (!finding) throw findingNotFound(id);
    const histories = await this.findings.histories(this.dataSource.manager, [id]);
    return findingView(finding, histories.get(id) ?? []);
  }
}
