import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { toReopenCommand } from '../use-cases/reopen-delivery/reopen-delivery.command';
import { ReopenDeliveryUseCase } from '../use-cases/reopen-delivery/reopen-delivery.use-case';

/** sync.commands.v1 (re-upload from reconcile) → the delivery is re-opened, in the inbox transaction. */
@Controller()
export class SyncCommandsController {
  constructor(private readonly reopenDelivery: ReopenDeliveryUseCase) {}

  @OnTopic(TOPICS.syncCommands)
  async onCommand(
    envelope: TopicEnvelope<typeof TOPICS.syncCommands>,
    manager: EntityManager,
  ): Promise<void> {
    await this.reopenDelivery.execute(manager, toReopenCommand(envelope));
  }
}
