import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { DeliveryPlanner } from '../../delivery/delivery-planner.service';
import { invoiceContentHash } from '../../ledger/content-hash';
import { LedgerEvent } from '../../ledger/ledger.model';
import { LedgerRepository, originalKeyOf } from '../../ledger/ledger.repository';
import { decideLedgerChange, LedgerDecision } from '../../ledger/ledger.rules';

/**
 * Applies one invoice event to the ledger and creates its deliveries, in the consumer's inbox
 * transaction (so a redelivered message changes nothing, and the offset commits only after this).
 * Creating an invoice also applies the events parked for it (a void that arrived first).
 */
@Injectable()
export class RecordInvoiceEventUseCase {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly planner: DeliveryPlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(manager: EntityManager, event: LedgerEvent): Promise<LedgerDecision> {
    const now = this.clock.now();
    const decision = await this.apply(manager, event, now, false);
    if (decision.action === 'create') {
      for (const parked of await this.ledger.takeParked(manager, event.invoiceKey)) {
        await this.apply(manager, parked, now, true);
      }
    }
    return decision;
  }

  private async apply(manager: EntityManager, event: LedgerEvent, now: Date, wasParked: boolean): Promise<LedgerDecision> {
    const existing = await this.ledger.lock(manager, event.invoiceKey);
    const contentHash = invoiceContentHash(event.invoice);
    const decision = decideLedgerChange(existing, event, contentHash);
    const settle = (status: 'applied' | 'parked' | 'ignored', reason: string | null) =>
      wasParked
        ? this.ledger.settleEvent(manager, event.eventId, status, reason, now)
        : this.ledger.recordEvent(manager, event, status, reason, now);
    switch (decision.action) {
      case 'park':
        await settle('parked', 'WAITING_FOR_ISSUE');
        break;
      case 'ignore':
        await settle('ignored', decision.reason);
        break;
      case 'create': {
        await this.ledger.create(manager, event, decision.colour, contentHash, now);
        await settle('applied', null);
        const originalKey = decision.colour === 'red' ? originalKeyOf(event.invoice) : null;
        const dependsOn = originalKey ? { invoiceKey: originalKey, kind: 'issued' as const } : null;
        const originalKnown = originalKey ? await this.ledger.exists(manager, originalKey) : false;
        await this.planner.plan(manager, { invoiceKey: event.invoiceKey, kind: event.kind, taxNo: event.taxNo, dependsOn }, originalKnown, now);
        break;
      }
      case 'void': {
        if (!existing) break; // unreachable: the rules only void a known invoice
        await this.ledger.markVoided(manager, existing, event.eventId, now);
        await settle('applied', null);
        const creation = existing.colour === 'red' ? ('red-issued' as const) : ('issued' as const);
        await this.planner.plan(
          manager,
          { invoiceKey: event.invoiceKey, kind: 'voided', taxNo: existing.taxNo, dependsOn: { invoiceKey: event.invoiceKey, kind: creation } },
          true,
          now,
        );
        break;
      }
    }
    return decision;
  }
}
