import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { toReopenCommand } from '../use-cases/reopen-delivery/reopen-delivery.command';
import { ReopenDeliveryUseCase } from '../use-cases/reopen-delivery/reopen-delivery.use-case';
import { inboxManager } from '@lib/messaging';

/** sync.commands.v1 (re-upload from reconcile) → the delivery is re-opened, in the inbox transaction. */
@Controller()
export class SyncCommandsController {
  constructor(private readonly reopenDelivery: ReopenDeliveryUseCase) {}

  @EventPattern(TOPICS.syncCommands)
  async onCommand(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.reopenDelivery.execute(inboxManager(context), toReopenCommand(envelope));
  }
}
