import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { Routing, StoredRouting } from '../../routing/routing.model';
import { RoutingRepository } from '../../routing/routing.repository';

/**
 * Sets a taxpayer's routing. Applies to deliveries created from now on; existing ones keep their targets. The routing
 * and its audit entry commit together.
 */
@Injectable()
export class UpdateRoutingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(routing: Routing, principal: Principal): Promise<StoredRouting> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.routing.upsert(manager, routing, actor, at);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'routing.update',
        targetType: 'routing',
        targetId: routing.taxNo,
        taxNo: routing.taxNo,
        detail: { platforms: routing.platforms, allowFailover: routing.allowFailover },
      });
      return stored;
    });
  }
}
