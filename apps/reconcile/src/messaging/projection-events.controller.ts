import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { toLedgerEventRecord } from '../use-cases/project-invoice-event/project-invoice-event.command';
import { ProjectDeviceEventUseCase } from '../use-cases/project-device-event/project-device-event.use-case';
import { ProjectInvoiceEventUseCase } from '../use-cases/project-invoice-event/project-invoice-event.use-case';
import { ProjectSyncResultUseCase } from '../use-cases/project-sync-result/project-sync-result.use-case';

/** The projections reconcile compares against the authority, each written in the message's inbox transaction. */
@Controller()
export class ProjectionEventsController {
  constructor(
    private readonly invoices: ProjectInvoiceEventUseCase,
    private readonly syncResults: ProjectSyncResultUseCase,
    private readonly devices: ProjectDeviceEventUseCase,
  ) {}

  @OnTopic(TOPICS.invoiceEvents)
  async onInvoiceEvent(
    envelope: TopicEnvelope<typeof TOPICS.invoiceEvents>,
    manager: EntityManager,
  ): Promise<void> {
    await this.invoices.execute(manager, toLedgerEventRecord(envelope));
  }

  @OnTopic(TOPICS.syncResults)
  async onSyncResult(
    envelope: TopicEnvelope<typeof TOPICS.syncResults>,
    manager: EntityManager,
  ): Promise<void> {
    await this.syncResults.execute(manager, envelope);
  }

  @OnTopic(TOPICS.deviceEvents)
  async onDeviceEvent(
    envelope: TopicEnvelope<typeof TOPICS.deviceEvents>,
    manager: EntityManager,
  ): Promise<void> {
    await this.devices.execute(manager, envelope);
  }
}
