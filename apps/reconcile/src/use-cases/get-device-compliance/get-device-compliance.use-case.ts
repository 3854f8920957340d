import { Inject, Injectable } from '@nestjs/common';
import { AppError, CLOCK, Clock } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { DeviceComplianceRepository } from '../../device-status/device-compliance.repository';
import { filingWindow } from '../list-device-compliance/filing-window';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

/** One device's compliance facts and the filing judged; unknown and out of scope alike answer DEVICE_NOT_FOUND. */
@Injectable()
export class GetDeviceComplianceUseCase {
  constructor(
    private readonly devices: DeviceComplianceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(scope: BranchScope, deviceId: string, period?: string) {
    const { filing, judged } = filingWindow(this.clock.now(), period);
    const [device] = await this.devices.list(scope, { deviceIds: [deviceId] }, judged, null, 1);
    if (!device) throw new AppError(ReconcileErrorCode.DEVICE_NOT_FOUND, 'not_found', `device ${deviceId} does not exist`);
    return { ...device, filing };
  }
}
