import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@lib/contracts';
import { inboxManager } from '@lib/messaging';
import { ProjectDeviceChangeUseCase } from './project-device-change.use-case';

/** device.events.v1 → the hosted devices' projection, in the inbox transaction (the offset commits after it). */
@Controller()
export class DeviceEventsController {
  constructor(private readonly project: ProjectDeviceChangeUseCase) {}

  @EventPattern(TOPICS.deviceEvents)
  async onDeviceEvent(@Payload() envelope: unknown, @Ctx() context: unknown): Promise<void> {
    await this.project.execute(inboxManager(context), envelope);
  }
}
