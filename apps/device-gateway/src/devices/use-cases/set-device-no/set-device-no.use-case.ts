import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { actorOf, AuditLog } from '@lib/platform';
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
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: SetDeviceNoCommand): Promise<DeviceView> {
    const { deviceId, deviceNo, principal } = command;
    const at = this.clock.now();
    const actor = actorOf(principal);
    const device = await this.dataSource.transaction(async (manager) => {
      const changed = await this.devices.setDeviceNo(
        manager,
        { deviceId, at, actor, scope: principal.scope },
        deviceNo,
      );
      if (!changed) throw deviceNotFound(deviceId);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'device.set-device-no',
        targetType: 'device',
        targetId: deviceId,
        taxNo: changed.taxNo,
        branchId: changed.branchId,
        detail: { deviceNo },
      });
      return changed;
    });
    this.directory.invalidate(deviceId);
    this.logger.log({ deviceId, deviceNo, by: actor.subject }, 'device number set');
    return toDeviceView(device);
  }
}
