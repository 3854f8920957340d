import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { AdminPrincipal } from '@lib/platform';
import { deviceNotFound } from '../../device-errors';
import { DeviceView, toDeviceView } from '../../device.model';
import { DeviceDirectory } from '../../device-directory';
import { DevicesRepository } from '../../devices.repository';

/**
 * Disables a device (idempotent). This replica refuses it at once; other replicas within GATEWAY_DEVICE_CACHE_TTL_MS,
 * when their cached copy expires.
 */
@Injectable()
export class DisableDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(deviceId: string, admin: AdminPrincipal): Promise<DeviceView> {
    const device = await this.devices.disable(deviceId, this.clock.now());
    this.directory.invalidate(deviceId);
    if (!device) throw deviceNotFound(deviceId);
    this.logger.log({ deviceId, by: admin.id }, 'device disabled');
    return toDeviceView(device);
  }
}
