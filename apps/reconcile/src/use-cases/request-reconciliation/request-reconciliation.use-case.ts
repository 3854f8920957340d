import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { ReconciliationRequest } from '@lib/contracts';
import { RunsRepository } from '../../runs/runs.repository';

/** On-demand run of one scope: queued for a worker; an already active run of the scope is returned instead. */
@Injectable()
export class RequestReconciliationUseCase {
  constructor(
    private readonly runs: RunsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: ReconciliationRequest, requestedBy: string): Promise<{ runId: string }> {
    const { runId } = await this.runs.enqueue(request.taxNo, request.period, 'api', requestedBy, this.clock.now());
    return { runId };
  }
}
