import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@lib/common';
import { Routing, StoredRouting } from '../../routing/routing.model';
import { RoutingRepository } from '../../routing/routing.repository';

/** Sets a taxpayer's routing. Applies to deliveries created from now on; existing ones keep their targets. */
@Injectable()
export class UpdateRoutingUseCase {
  constructor(
    private readonly routing: RoutingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(routing: Routing, updatedBy: string): Promise<StoredRouting> {
    return this.routing.upsert(routing, updatedBy, this.clock.now());
  }
}
