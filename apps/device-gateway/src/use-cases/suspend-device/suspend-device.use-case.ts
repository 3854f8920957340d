import { Injectable, Logger } from '@nestjs/common';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { nextStatus } from '../../devices/device-status.rules';
import { SuspendDeviceCommand } from './suspend-device.command';

/**
 * Refuses a device for now (401 DEVICE_SUSPENDED) until it is enabled again: at once on this replica, on the others
 * within GATEWAY_DEVICE_CACHE_TTL_MS. A suspended device stays as it is (idempotent); a retired one answers 409.
 */
@Injectable()
export class SuspendDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(private readonly runner: DeviceChangeRunner) {}

  async execute({ deviceId, reason, principal }: SuspendDeviceCommand): Promise<DeviceView> {
    const { device, changed } = await this.runner.run(deviceId, principal, (current, at) => {
      const status = nextStatus(deviceId, current.status, 'suspend');
      if (!status) return null;
      return {
        next: { ...current, status, statusReason: reason, statusChangedAt: at },
        change: 'suspended',
        reason,
      };
    });
    if (changed) this.logger.log({ deviceId, by: principal.subject }, 'device suspended');
    return toDeviceView(device);
  }
}
