import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RoutingRepository } from '../../routing/routing.repository';

/** Removes a taxpayer's routing: the configured default applies again. */
@Injectable()
export class RemoveRoutingUseCase {
  constructor(private readonly routing: RoutingRepository) {}

  async execute(taxNo: string): Promise<void> {
    if (!(await this.routing.remove(taxNo))) throw new AppError('ROUTING_NOT_FOUND', 'not_found', `no routing for ${taxNo}`);
  }
}
