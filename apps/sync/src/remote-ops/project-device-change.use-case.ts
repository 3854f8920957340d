import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { parseEnvelope, TOPICS } from '@lib/contracts';
import { HostedDevicesRepository } from './hosted-devices.repository';

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

  async execute(manager: EntityManager, raw: unknown): Promise<'applied' | 'stale' | 'ignored'> {
    const parsed = parseEnvelope(TOPICS.deviceEvents, raw);
    if (!parsed.ok) {
      throw new AppError(parsed.error.code, 'validation', parsed.error.message, {
        details: parsed.error.details.map((d) => ({ code: d.code, field: d.field, message: d.message })),
      });
    }
    const { envelope } = parsed;
    if (envelope.type !== 'device.changed') return 'ignored';
    const data = envelope.data;
    const applied = await this.devices.apply(manager, envelope.id, data, new Date(envelope.producedAt), this.clock.now());
    if (applied)
      this.logger.log(
        { deviceId: data.deviceId, change: data.change, status: data.status, hostedOn: data.hostedOn },
        'device view projected',
      );
    return applied ? 'applied' : 'stale';
  }
}
