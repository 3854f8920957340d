import { Injectable } from '@nestjs/common';
import { deviceNotFound } from '../../device-errors';
import { DeviceView, toDeviceView } from '../../device.model';
import { DevicesRepository } from '../../devices.repository';

@Injectable()
export class GetDeviceUseCase {
  constructor(private readonly devices: DevicesRepository) {}

  async execute(deviceId: string): Promise<DeviceView> {
    const device = await this.devices.findById(deviceId);
    if (!device) throw deviceNotFound(deviceId);
    return toDeviceView(device);
  }
}
