import { Injectable } from '@nestjs/common';
import { BranchScope, scopeParam } from '@lib/platform';
import { TargetName } from '@lib/providers';
import { DeliveryStatus } from '../../delivery/delivery.model';
import { DeliveryRepository } from '../../delivery/delivery.repository';
import { DeliveryView, toDeliveryView } from '../get-invoice-deliveries/delivery.view';

/** Deliveries by status, target, taxpayer and branch (e.g. every dead one) within the caller's branches, one page at a time. */
@Injectable()
export class ListDeliveriesUseCase {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async execute(
    filter: {
      status?: DeliveryStatus;
      target?: TargetName;
      taxNo?: string;
      branchId?: string;
      cursor?: string;
      limit: number;
    },
    scope: BranchScope,
  ): Promise<{
    items: DeliveryView[];
    nextCursor: string | null;
  }> {
    const rows = await this.deliveries.list({ ...filter, branches: scopeParam(scope), afterId: filter.cursor });
    return {
      items: rows.map((r) => toDeliveryView(r, [])),
      nextCursor: rows.length === filter.limit ? String(rows[rows.length - 1].id) : null,
    };
  }
}
