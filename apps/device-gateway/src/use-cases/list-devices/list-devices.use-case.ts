import { Injectable } from '@nestjs/common';
import { BranchScope } from '@lib/platform';
import { DeviceView, toDeviceView } from '../../devices/device.model';
import { DevicesRepository } from '../../devices/devices.repository';
import { encodeCursor, ListDevicesQuery } from './list-devices.query';

export interface DevicePage {
  items: DeviceView[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** Devices in registration order within the caller's branches, filtered by taxpayer and/or branch, one keyset page at a time. */
@Injectable()
export class ListDevicesUseCase {
  constructor(private readonly devices: DevicesRepository) {}

  async execute(query: ListDevicesQuery, scope: BranchScope): Promise<DevicePage> {
    // One more than asked tells whether another page exists without a count. Devices outside the scope are never read.
    const rows = await this.devices.list({ ...query, scope, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDeviceView),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.deviceId) : null,
    };
  }
}
