import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RunsRepository } from '../../runs/runs.repository';

/** A run's state, progress and counts. */
@Injectable()
export class GetReconciliationUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(runId: string) {
    const run = await this.runs.get(runId);
    if (!run) throw new AppError('RUN_NOT_FOUND', 'not_found', `run ${runId} does not exist`);
    return {
      runId: run.id,
      taxNo: run.taxNo,
      period: run.period,
      state: run.state,
      phase: run.phase,
      trigger: run.trigger,
      requestedBy: run.requestedBy,
      pull: { channel: run.channel, pages: run.pages, records: run.records, complete: run.pullComplete, coverage: run.coverage },
      incompleteReason: run.incompleteReason,
      counts: run.counts,
      timings: run.timings,
      error: run.error,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }
}
