import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DeviceChangedEventData, DeviceStatus } from '@lib/contracts';
import { queryOne } from '@lib/persistence';
import { BranchScope, scopeParam } from '@lib/platform';
import { HostedDevice } from './remote-ops.model';

interface HostedDeviceRow {
  device_id: string;
  tax_no: string;
  branch_id: string;
  device_no: string | null;
  device_name: string | null;
  hosted_on: string | null;
  status: DeviceStatus;
  changed_at: Date;
}

export function toHostedDevice(row: HostedDeviceRow): HostedDevice {
  return {
    deviceId: row.device_id,
    taxNo: row.tax_no,
    branchId: row.branch_id,
    deviceNo: row.device_no,
    deviceName: row.device_name,
    hostedOn: row.hosted_on,
    status: row.status,
    changedAt: row.changed_at,
  };
}

/** The projection of `device.changed`: the registry's newest view of each device, by changedAt then producedAt. */
@Injectable()
export class HostedDevicesRepository {
  /** Keeps the announced view unless a newer one is already held; answers whether it was applied. */
  async apply(
    manager: EntityManager,
    eventId: string,
    data: DeviceChangedEventData,
    producedAt: Date,
    now: Date,
  ): Promise<boolean> {
    const applied = await queryOne<{ device_id: string }>(
      manager,
      `INSERT INTO hosted_devices AS h
         (device_id, tax_no, branch_id, device_no, device_name, hosted_on, status, changed_at, produced_at, event_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (device_id) DO UPDATE SET
         tax_no = EXCLUDED.tax_no, branch_id = EXCLUDED.branch_id, device_no = EXCLUDED.device_no,
         device_name = EXCLUDED.device_name, hosted_on = EXCLUDED.hosted_on, status = EXCLUDED.status,
         changed_at = EXCLUDED.changed_at, produced_at = EXCLUDED.produced_at, event_id = EXCLUDED.event_id,
         updated_at = EXCLUDED.updated_at
       WHERE (EXCLUDED.changed_at, EXCLUDED.produced_at) >= (h.changed_at, h.produced_at)
       RETURNING device_id`,
      [
        data.deviceId,
        data.taxNo,
        data.branchId,
        data.deviceNo,
        data.deviceName,
        data.hostedOn,
        data.status,
        new Date(data.changedAt),
        producedAt,
        eventId,
        now,
      ],
    );
    return applied !== undefined;
  }

  /** A device within the caller's branches (one outside them is as unknown as a missing one). */
  async find(manager: EntityManager, deviceId: string, scope: BranchScope): Promise<HostedDevice | undefined> {
    const row = await queryOne<HostedDeviceRow>(
      manager,
      `SELECT device_id, tax_no, branch_id, device_no, device_name, hosted_on, status, changed_at
         FROM hosted_devices
        WHERE device_id = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))`,
      [deviceId, scopeParam(scope)],
    );
    return row ? toHostedDevice(row) : undefined;
  }
}
