import { Injectable } from '@nestjs/common';
import type { DeviceChange } from '@lib/contracts';
import { Actor, BranchScope } from '@lib/platform';
import { DeviceChangesRepository } from '../../devices/changes/device-changes.repository';
import { deviceNotFound } from '../../devices/device-errors';
import { DeviceStatus } from '../../devices/device.model';
import { DevicesRepository } from '../../devices/devices.repository';
import { ListDeviceChangesQuery } from './list-device-changes.query';

export interface DeviceChangeView {
  change: DeviceChange;
  at: string;
  reason: string | null;
  actor: Actor;
  /** The status the change left the device in. */
  status: DeviceStatus;
  detail: Record<string, unknown>;
}

/** A device's history, newest first; a device outside the caller's branches answers like an unknown id. */
@Injectable()
export class ListDeviceChangesUseCase {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly changes: DeviceChangesRepository,
  ) {}

  async execute(query: ListDeviceChangesQuery, scope: BranchScope): Promise<{ items: DeviceChangeView[] }> {
    if (!(await this.devices.findById(query.deviceId, scope))) throw deviceNotFound(query.deviceId);
    const entries = await this.changes.newestFirst(query.deviceId, query.limit);
    return {
      items: entries.map((entry) => ({
        change: entry.change,
        at: entry.at.toISOString(),
        reason: entry.reason,
        actor: entry.actor,
        status: entry.status,
        detail: entry.detail,
      })),
    };
  }
}
