import { Injectable } from '@nestjs/common';
import { StoredRouting } from '../../routing/routing.model';
import { RoutingRepository } from '../../routing/routing.repository';

/** Explicit routings, by taxpayer id, one page at a time (the cursor is the last taxpayer id seen). */
@Injectable()
export class ListRoutingUseCase {
  constructor(private readonly routing: RoutingRepository) {}

  async execute(cursor: string | undefined, limit: number): Promise<{ items: StoredRouting[]; nextCursor: string | null }> {
    const items = await this.routing.list(cursor, limit);
    return { items, nextCursor: items.length === limit ? items[items.length - 1].taxNo : null };
  }
}
