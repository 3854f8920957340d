import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { deviceNotFound } from '../../device-errors';
import { DeviceView, toDeviceView } from '../../device.model';
import { DeviceDirectory } from '../../device-directory';
import { DevicesRepository } from '../../devices.repository';

/**
 * Disables a device (idempotent). This replica refuses it at once; other replicas within GATEWAY_DEVICE_CACHE_TTL_MS,
 * when their cached copy expires. The change and its audit entry commit together.
 */
@Injectable()
export class DisableDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(deviceId: string, principal: Principal): Promise<DeviceView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    const device = await this.dataSource.transaction(async (manager) => {
      const changed = await this.devices.disable(manager, { deviceId, at, actor, scope: principal.scope });
      if (!changed) throw deviceNotFound(deviceId);
      await this.audit.record(manager, {
        at,
        actor,
        action: 'device.disable',
        targetType: 'device',
        targetId: deviceId,
        taxNo: changed.taxNo,
        branchId: changed.branchId,
      });
      return changed;
    });
    this.directory.invalidate(deviceId);
    this.logger.log({ deviceId, by: actor.subject }, 'device disabled');
    return toDeviceView(device);
  }
}
