import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { toLedgerEventRecord } from '../use-cases/project-invoice-event/project-invoice-event.command';
import { ProjectDeviceEventUseCase } from '../use-cases/project-device-event/project-device-event.use-case';
import { ProjectInvoiceEventUseCase } from '../use-cases/project-invoice-event/project-invoice-event.use-case';
import { ProjectSyncResultUseCase } from '../use-cases/project-sync-result/project-sync-result.use-case';
import { inboxManager } from '@lib/messaging';

/** The projections reconcile compares against the authority, each written in the message's inbox transaction. */
@Controller()
export class ProjectionEventsController {
  constructor(
    private readonly invoices: ProjectInvoiceEventUseCase,
    private readonly syncResults: ProjectSyncResultUseCase,
    private readonly devices: ProjectDeviceEventUseCase,
  ) {}

  @EventPattern(TOPICS.invoiceEvents)
  async onInvoiceEvent(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.invoices.execute(inboxManager(context), toLedgerEventRecord(envelope));
  }

  @EventPattern(TOPICS.syncResults)
  async onSyncResult(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.syncResults.execute(inboxManager(context), envelope);
  }

  @EventPattern(TOPICS.deviceEvents)
  async onDeviceEvent(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.devices.execute(inboxManager(context), envelope);
  }
}
