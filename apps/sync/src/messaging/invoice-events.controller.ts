import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { toLedgerEvent } from '../use-cases/record-invoice-event/record-invoice-event.command';
import { RecordInvoiceEventUseCase } from '../use-cases/record-invoice-event/record-invoice-event.use-case';
import { inboxManager } from '@lib/messaging';

/** invoice.events.v1 → ledger + deliveries, in the inbox transaction (the offset commits after it). */
@Controller()
export class InvoiceEventsController {
  constructor(private readonly recordInvoiceEvent: RecordInvoiceEventUseCase) {}

  @EventPattern(TOPICS.invoiceEvents)
  async onInvoiceEvent(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.recordInvoiceEvent.execute(inboxManager(context), toLedgerEvent(envelope));
  }
}
