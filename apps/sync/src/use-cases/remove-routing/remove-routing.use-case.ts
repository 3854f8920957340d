import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { RoutingRepository } from '../../routing/routing.repository';
import { SyncErrorCode } from '../../sync-error-codes';

/** Removes a taxpayer's routing: the configured default applies again. Recorded in the audit log in the same transaction. */
@Injectable()
export class RemoveRoutingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(taxNo: string, principal: Principal): Promise<void> {
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const removed = await this.routing.remove(manager, taxNo);
      if (!removed)
        throw new AppError(SyncErrorCode.ROUTING_NOT_FOUND, 'not_found', `no routing for ${taxNo}`);
      await this.audit.record(manager, {
        at: this.clock.now(),
        actor,
        action: 'routing.delete',
        targetType: 'routing',
        targetId: taxNo,
        taxNo,
        detail: { platforms: removed.platforms, allowFailover: removed.allowFailover },
      });
    });
  }
}
