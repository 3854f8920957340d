import { Injectable, Logger } from '@nestjs/common';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';
import { deviceNoRequired } from '../../devices/device-errors';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { SetDeviceNoCommand } from './set-device-no.command';

/**
 * Sets, replaces or forgets a device's authority number (机器编号). The device's next events carry it: at once
 * through this replica, through others when their cached copy expires (GATEWAY_DEVICE_CACHE_TTL_MS). A hosted device
 * keeps one (400 DEVICE_NO_REQUIRED); setting the number it already has changes nothing.
 */
@Injectable()
export class SetDeviceNoUseCase {
  private readonly logger = new Logger('Devices');

  constructor(private readonly runner: DeviceChangeRunner) {}

  async execute({ deviceId, deviceNo, principal }: SetDeviceNoCommand): Promise<DeviceView> {
    const { device, changed } = await this.runner.run(deviceId, principal, (current) => {
      if (current.deviceNo === deviceNo) return null;
      if (deviceNo === null && current.hostedOn !== null) throw deviceNoRequired(deviceId);
      return { next: { ...current, deviceNo }, change: 'device-no-set', reason: null, detail: { deviceNo } };
    });
    if (changed) this.logger.log({ deviceId, deviceNo, by: principal.subject }, 'device number set');
    return toDeviceView(device);
  }
}
