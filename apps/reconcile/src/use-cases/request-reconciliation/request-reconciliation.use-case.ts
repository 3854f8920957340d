import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { ReconciliationRequest } from '@lib/contracts';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { RunsRepository } from '../../runs/runs.repository';

/**
 * On-demand run of one scope: queued for a worker; an already active run of the scope is returned instead. The request is
 * in the audit log with who asked (also when it only joined the active run), in the transaction that queues the run.
 */
@Injectable()
export class RequestReconciliationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: ReconciliationRequest, principal: Principal): Promise<{ runId: string }> {
    const actor = actorOf(principal);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const { runId, created } = await this.runs.enqueue(
        request.taxNo,
        request.period,
        'api',
        actor.subject,
        now,
        m,
      );
      await this.audit.record(m, {
        at: now,
        actor,
        action: 'reconciliation.start',
        targetType: 'reconciliation',
        targetId: runId,
        taxNo: request.taxNo,
        detail: { period: request.period, created },
      });
      return { runId };
    });
  }
}
