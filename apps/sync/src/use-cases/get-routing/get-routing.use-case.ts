import { Injectable } from '@nestjs/common';
import { StoredRouting } from '../../routing/routing.model';
import { RoutingRepository } from '../../routing/routing.repository';

/** A taxpayer's routing, or the default that applies to it (`explicit: false`). */
@Injectable()
export class GetRoutingUseCase {
  constructor(private readonly routing: RoutingRepository) {}

  execute(taxNo: string): Promise<StoredRouting> {
    return this.routing.get(taxNo);
  }
}
