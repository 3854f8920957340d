import { Injectable, Logger } from '@nestjs/common';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';
import { deviceNoRequired } from '../../devices/device-errors';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { SetDeviceHostingCommand } from './set-device-hosting.command';

/**
 * Says which platform hosts the device (sync then runs its monthly 抄报 / 清卡 there), or that it is on premises.
 * The platform knows a device by its authority number, so a hosted device needs one: 400 DEVICE_NO_REQUIRED.
 * Setting what is already set changes nothing.
 */
@Injectable()
export class SetDeviceHostingUseCase {
  private readonly logger = new Logger('Devices');

  constructor(private readonly runner: DeviceChangeRunner) {}

  async execute({ deviceId, hostedOn, principal }: SetDeviceHostingCommand): Promise<DeviceView> {
    const { device, changed } = await this.runner.run(deviceId, principal, (current) => {
      if (current.hostedOn === hostedOn) return null;
      if (hostedOn !== null && current.deviceNo === null) throw deviceNoRequired(deviceId);
      return { next: { ...current, hostedOn }, change: 'hosting-set', reason: null, detail: { hostedOn } };
    });
    if (changed) this.logger.log({ deviceId, hostedOn, by: principal.subject }, 'device hosting set');
    return toDeviceView(device);
  }
}
