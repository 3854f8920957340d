import { Injectable } from '@nestjs/common';
import { BranchScope } from '@lib/platform';
import { deviceNotFound } from '../../devices/device-errors';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { DevicesRepository } from '../../devices/devices.repository';

/** One device; a device outside the caller's branches answers exactly like an unknown id. */
@Injectable()
export class GetDeviceUseCase {
  constructor(private readonly devices: DevicesRepository) {}

  async execute(deviceId: string, scope: BranchScope): Promise<DeviceView> {
    const device = await this.devices.findById(deviceId, scope);
    if (!device) throw deviceNotFound(deviceId);
    return toDeviceView(device);
  }
}
