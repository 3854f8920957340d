import { Controller } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { OnTopic } from '@lib/platform';
import { ProjectDeviceChangeUseCase } from '../use-cases/project-device-change/project-device-change.use-case';

/** device.events.v1 → the hosted devices' projection, in the inbox transaction (the offset commits after it). */
@Controller()
export class DeviceEventsController {
  constructor(private readonly project: ProjectDeviceChangeUseCase) {}

  @OnTopic(TOPICS.deviceEvents)
  async onDeviceEvent(
    envelope: TopicEnvelope<typeof TOPICS.deviceEvents>,
    manager: EntityManager,
  ): Promise<void> {
    await this.project.execute(manager, envelope);
  }
}
