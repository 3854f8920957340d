import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { DeviceComplianceRepository } from '../../device-status/device-compliance.repository';
import { decodeDeviceCursor, encodeDeviceCursor, PageQuery } from '../../persistence/keyset-cursor';
import { filingWindow } from './filing-window';

/** What the devices' board is asked (`GET /v1/devices` parses it). */
export interface ListDevicesQuery extends PageQuery {
  taxNo?: string;
  branchId?: string;
  /** The period whose clear-card is judged (default: the one due at the next or last filing deadline). */
  period?: string;
  deviceIds?: string[];
  cleared?: boolean;
}

/** A page of the devices' compliance board within the caller's branches, by device id, with the total and the filing judged. */
@Injectable()
export class ListDeviceComplianceUseCase {
  constructor(
    private readonly devices: DeviceComplianceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(scope: BranchScope, q: ListDevicesQuery) {
    const { cursor, limit, period, ...filters } = q;
    const { filing, judged } = filingWindow(this.clock.now(), period);
    const after = cursor ? decodeDeviceCursor(cursor) : null;
    const [rows, total] = await Promise.all([
      this.devices.list(scope, filters, judged, after, limit + 1),
      this.devices.count(scope, filters, judged),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeDeviceCursor(last.deviceId) : null,
      total,
      filing,
    };
  }
}
