import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { toLedgerEvent } from '../use-cases/record-invoice-event/record-invoice-event.command';
import { RecordInvoiceEventUseCase } from '../use-cases/record-invoice-event/record-invoice-event.use-case';

/** invoice.events.v1 → ledger + deliveries, in the inbox transaction (the offset commits after it). */
@Controller()
export class InvoiceEventsController {
  constructor(private readonly recordInvoiceEvent: RecordInvoiceEventUseCase) {}

  @OnTopic(TOPICS.invoiceEvents)
  async onInvoiceEvent(
    envelope: TopicEnvelope<typeof TOPICS.invoiceEvents>,
    manager: EntityManager,
  ): Promise<void> {
    await this.recordInvoiceEvent.execute(manager, toLedgerEvent(envelope));
  }
}
