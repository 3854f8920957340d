import { Injectable, Logger } from '@nestjs/common';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { nextStatus } from '../../devices/device-status.rules';
import { EnableDeviceCommand } from './enable-device.command';

/**
 * Lets a suspended device in again. An active device stays as it is (idempotent, so a reset may enable a device
 * whether or not it was suspended); a retired device stays retired: 409 DEVICE_RETIRED.
 */
@Injectable()
export class EnableDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(private readonly runner: DeviceChangeRunner) {}

  async execute({ deviceId, reason, principal }: EnableDeviceCommand): Promise<DeviceView> {
    const { device, changed } = await this.runner.run(deviceId, principal, (current, at) => {
      const status = nextStatus(deviceId, current.status, 'enable');
      if (!status) return null;
      return {
        next: { ...current, status, statusReason: reason, statusChangedAt: at },
        change: 'enabled',
        reason,
      };
    });
    if (changed) this.logger.log({ deviceId, by: principal.subject }, 'device enabled');
    return toDeviceView(device);
  }
}
