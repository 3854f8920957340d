import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { deviceNotFound } from '../../device-errors';
import { DeviceView, toDeviceView } from '../../device.model';
import { DeviceDirectory } from '../../device-directory';
import { DevicesRepository } from '../../devices.repository';
import { SetDeviceNoCommand } from './set-device-no.command';

/**
 * Sets, replaces or forgets a device's authority number (机器编号). The device's next events carry it: at once
 * through this replica, through others when their cached copy expires (GATEWAY_DEVICE_CACHE_TTL_MS).
 */
@Injectable()
export class SetDeviceNoUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: SetDeviceNoCommand): Promise<DeviceView> {
    const device = await this.devices.setDeviceNo(command.deviceId, command.deviceNo, this.clock.now());
    this.directory.invalidate(command.deviceId);
    if (!device) throw deviceNotFound(command.deviceId);
    this.logger.log(
      { deviceId: command.deviceId, deviceNo: command.deviceNo, by: command.admin.id },
      'device number set',
    );
    return toDeviceView(device);
  }
}
