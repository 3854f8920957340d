import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceEventKind } from '@lib/domain';
import { TargetName, TargetRegistry } from '@lib/providers';
import { RoutingRepository } from '../routing/routing.repository';
import { targetsOf } from '../routing/routing.model';
import { DELIVERED_STATUSES } from './delivery.model';
import { DeliveryRepository, NewDelivery } from './delivery.repository';
import { serialNoFor } from './serial-no';

export interface PlannedEvent {
  invoiceKey: string;
  kind: InvoiceEventKind;
  taxNo: string;
  /** The invoice whose creation must reach a target first (the original of a red, the invoice of a void). */
  dependsOn: { invoiceKey: string; kind: 'issued' | 'red-issued' } | null;
}

/**
 * Creates the deliveries of one ledger change, one per target the taxpayer's routing names. A red or a
 * void waits (not due) until its predecessor reached that target; when the predecessor is in the ledger
 * but was never routed to that target (the routing changed since), its delivery is created too, so the
 * wait can end.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly routing: RoutingRepository,
    private readonly targets: TargetRegistry,
  ) {}

  async plan(
    manager: EntityManager,
    event: PlannedEvent,
    predecessorInLedger: boolean,
    now: Date,
    only?: TargetName,
  ): Promise<number> {
    const routing =
      (await this.routing.forTaxNos([event.taxNo], manager)).get(event.taxNo) ??
      this.routing.defaultFor(event.taxNo);
    const targets = only ? [only] : targetsOf(routing, this.targets.authority());
    const predecessor = event.dependsOn;
    const statuses = predecessor
      ? await this.deliveries.creationStatuses(manager, predecessor.invoiceKey)
      : new Map();
    const rows: NewDelivery[] = [];
    for (const target of targets) {
      const status = statuses.get(target);
      const ready = !predecessor || (status !== undefined && DELIVERED_STATUSES.includes(status));
      if (predecessor && status === undefined && predecessorInLedger) {
        rows.push(
          this.row(
            {
              invoiceKey: predecessor.invoiceKey,
              kind: predecessor.kind,
              taxNo: event.taxNo,
              dependsOn: null,
            },
            target,
            now,
          ),
        );
      }
      rows.push({
        ...this.row(event, target, now),
        dueAt: ready ? now : null,
        waitingFor: ready ? null : 'predecessor',
      });
    }
    return this.deliveries.createMany(manager, rows, now);
  }

  private row(event: PlannedEvent, target: TargetName, now: Date): NewDelivery {
    return {
      invoiceKey: event.invoiceKey,
      kind: event.kind,
      target,
      taxNo: event.taxNo,
      serialNo: serialNoFor(event.invoiceKey, event.kind, target, 1),
      dependsOnKey: event.dependsOn?.invoiceKey ?? null,
      dueAt: now,
      waitingFor: null,
    };
  }
}
