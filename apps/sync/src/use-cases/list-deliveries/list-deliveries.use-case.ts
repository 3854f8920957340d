import { Injectable } from '@nestjs/common';
import { TargetName } from '@lib/providers';
import { DeliveryStatus } from '../../delivery/delivery.model';
import { DeliveryRepository } from '../../delivery/delivery.repository';
import { DeliveryView, toDeliveryView } from '../get-invoice-deliveries/delivery.view';

/** Deliveries by status and target (e.g. every dead one), one page at a time. */
@Injectable()
export class ListDeliveriesUseCase {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async execute(filter: { status?: DeliveryStatus; target?: TargetName; cursor?: string; limit: number }): Promise<{
    items: DeliveryView[];
    nextCursor: string | null;
  }> {
    const rows = await this.deliveries.list({ ...filter, afterId: filter.cursor });
    return {
      items: rows.map((r) => toDeliveryView(r, [])),
      nextCursor: rows.length === filter.limit ? String(rows[rows.length - 1].id) : null,
    };
  }
}
