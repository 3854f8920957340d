import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { HostedDevicesRepository } from '../../remote-ops/hosted-devices.repository';

/**
 * device.events.v1 → hosted_devices, in the inbox transaction (a redelivered envelope id never gets here). Only
 * `device.changed` matters; reports, clear-cards (sync's own included) and monitor readings are acknowledged and
 * ignored. An older view than the one held changes nothing.
 */
@Injectable()
export class ProjectDeviceChangeUseCase {
  private readonly logger = new Logger('HostedDevices');

  constructor(
    private readonly devices: HostedDevicesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    manager: EntityManager,
    envelope: TopicEnvelope<typeof TOPICS.deviceEvents>,
  ): Promise<'applied' | 'stale' | 'ignored'> {
    if (envelope.type !== 'device.changed') return 'ignored';
    const data = envelope.data;
    const applied = await this.devices.apply(
      manager,
      envelope.id,
      data,
      new Date(envelope.producedAt),
      this.clock.now(),
    );
    if (applied)
      this.logger.log(
        { deviceId: data.deviceId, change: data.change, status: data.status, hostedOn: data.hostedOn },
        'device view projected',
      );
    return applied ? 'applied' : 'stale';
  }
}
