import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RunRow } from '../../runs/run.model';
import { RunsRepository } from '../../runs/runs.repository';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

/** A run as the API shows it: state, pull progress and coverage, counts and timings. */
export function runView(run: RunRow) {
  return {
    runId: run.id,
    taxNo: run.taxNo,
    period: run.period,
    state: run.state,
    phase: run.phase,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    pull: {
      channel: run.channel,
      pages: run.pages,
      records: run.records,
      complete: run.pullComplete,
      coverage: run.coverage,
    },
    incompleteReason: run.incompleteReason,
    counts: run.counts,
    timings: run.timings,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** A run's state, progress and counts. */
@Injectable()
export class GetReconciliationUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(runId: string) {
    const run = await this.runs.get(runId);
    if (!run) throw new AppError(ReconcileErrorCode.RUN_NOT_FOUND, 'not_found', `run ${runId} does not exist`);
    return runView(run);
  }
}
