import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { DeviceChangeRunner } from '../../devices/changes/device-change.runner';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { nextStatus } from '../../devices/device-status.rules';
import { DevicesRepository } from '../../devices/devices.repository';
import { RetireDeviceCommand } from './retire-device.command';
import { GatewayErrorCode } from '../../gateway-error-codes';

/**
 * Refuses a device for good (401 DEVICE_RETIRED): at once on this replica, on the others within
 * GATEWAY_DEVICE_CACHE_TTL_MS. Retiring a retired device changes nothing, unless it names a replacement the device
 * did not have yet: that is recorded as a change of its own.
 */
@Injectable()
export class RetireDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly runner: DeviceChangeRunner,
    private readonly devices: DevicesRepository,
  ) {}

  async execute({ deviceId, reason, replacedBy, principal }: RetireDeviceCommand): Promise<DeviceView> {
    if (replacedBy !== null) await this.checkReplacement(deviceId, replacedBy, principal.scope);
    const { device, changed } = await this.runner.run(deviceId, principal, (current, at) => {
      const status = nextStatus(deviceId, current.status, 'retire');
      const replacement = replacedBy ?? current.replacedBy;
      if (!status && replacement === current.replacedBy) return null;
      const next = status
        ? {
            ...current,
            status,
            statusReason: reason,
            statusChangedAt: at,
            disabledAt: current.disabledAt ?? at,
          }
        : current;
      return {
        next: { ...next, replacedBy: replacement },
        change: 'retired',
        reason,
        detail: replacement ? { replacedBy: replacement } : {},
      };
    });
    if (changed) this.logger.log({ deviceId, replacedBy, by: principal.subject }, 'device retired');
    return toDeviceView(device);
  }

  /** The replacement must be another device the caller can see. */
  private async checkReplacement(deviceId: string, replacedBy: string, scope: BranchScope): Promise<void> {
    const problem =
      replacedBy === deviceId
        ? 'a device cannot replace itself'
        : (await this.devices.findById(replacedBy, scope))
          ? null
          : `no device ${replacedBy}`;
    if (!problem) return;
    throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', 'the retirement is invalid', {
      details: [{ code: GatewayErrorCode.UNKNOWN_REPLACEMENT, field: 'replacedBy', message: problem }],
    });
  }
}
