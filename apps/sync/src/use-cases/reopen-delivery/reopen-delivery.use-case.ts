import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { InvoiceEventKind } from '@lib/domain';
import { DeliveryPlanner } from '../../delivery/delivery-planner.service';
import { DeliveryRepository } from '../../delivery/delivery.repository';
import { serialNoFor } from '../../delivery/serial-no';
import { LedgerRepository, originalKeyOf } from '../../ledger/ledger.repository';
import { ReopenDeliveryCommand } from './reopen-delivery.command';
import { SyncErrorCode } from '../../sync-error-codes';

export interface ReopenResult {
  invoiceKey: string;
  target: string;
  reopened: InvoiceEventKind[];
  unchanged: { kind: InvoiceEventKind; reason: 'IN_PROGRESS' | 'REPEATED_COMMAND' }[];
}

/**
 * Re-opens the deliveries of one invoice to one target: its creation (issue or red issue) and, when
 * voided, its void (which waits for the creation again). Under a new serial (the target's record under
 * the old one is gone or was never visible), but looked up first: if the target does have it after all,
 * nothing is sent. A delivery still on its way is left alone.
 */
@Injectable()
export class ReopenDeliveryUseCase {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly planner: DeliveryPlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(manager: EntityManager, command: ReopenDeliveryCommand): Promise<ReopenResult> {
    const now = this.clock.now();
    const invoice = await this.ledger.lock(manager, command.invoiceKey);
    if (!invoice) throw new AppError(SyncErrorCode.INVOICE_NOT_FOUND, 'not_found', `invoice ${command.invoiceKey} is not in the ledger`);
    const creation: InvoiceEventKind = invoice.colour === 'red' ? 'red-issued' : 'issued';
    const kinds: InvoiceEventKind[] = invoice.state === 'voided' ? [creation, 'voided'] : [creation];
    const result: ReopenResult = { invoiceKey: command.invoiceKey, target: command.target, reopened: [], unchanged: [] };
    for (const kind of kinds) {
      const existing = await this.deliveries.findByInvoice(manager, command.invoiceKey, kind, command.target);
      if (!existing) {
        const payload = invoice.colour === 'red' ? await this.ledger.payload(manager, command.invoiceKey) : undefined;
        const originalKey = payload ? originalKeyOf(payload) : null;
        const dependsOn =
          kind === 'voided'
            ? { invoiceKey: command.invoiceKey, kind: creation as 'issued' | 'red-issued' }
            : originalKey
              ? { invoiceKey: originalKey, kind: 'issued' as const }
              : null;
        await this.planner.plan(manager, { invoiceKey: command.invoiceKey, kind, taxNo: invoice.taxNo, dependsOn }, true, now, command.target);
        result.reopened.push(kind);
        continue;
      }
      if (existing.status === 'pending' || existing.status === 'sending') {
        result.unchanged.push({ kind, reason: 'IN_PROGRESS' });
        continue;
      }
      if (command.attempt !== undefined && command.attempt <= existing.reopen_attempt) {
        result.unchanged.push({ kind, reason: 'REPEATED_COMMAND' });
        continue;
      }
      const generation = existing.generation + 1;
      const waits = kind === 'voided';
      await this.deliveries.reopen(
        manager,
        existing.id,
        {
          generation,
          serialNo: serialNoFor(command.invoiceKey, kind, command.target, generation),
          waitingFor: waits ? 'predecessor' : null,
          dueAt: waits ? null : now,
          reopenedBy: `${command.requestedBy}: ${command.reason}`.slice(0, 500),
          reopenAttempt: command.attempt ?? existing.reopen_attempt + 1,
        },
        now,
      );
      result.reopened.push(kind);
    }
    return result;
  }
}
