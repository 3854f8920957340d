import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeviceNumberDirectory } from './device-number.port';

/**
 * The devices' authority numbers (机器编号) as reconcile projected them from `device.events.v1`
 * (`device_numbers`): the gateway adds the number and the name registered for the device to each of its events.
 * The name is read where findings are made (compare/device-compare.repository.ts joins it into the evidence).
 */
@Injectable()
export class ProjectedDeviceNumbers implements DeviceNumberDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async authorityDeviceNo(taxNo: string, deviceId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      'SELECT device_no FROM device_numbers WHERE device_id = $1 AND tax_no = $2',
      [deviceId, taxNo],
    )) as { device_no: string | null }[];
    return rows[0]?.device_no ?? null;
  }

  async authorityDeviceNos(taxNo: string, deviceIds: readonly string[]): Promise<Map<string, string>> {
    if (deviceIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      'SELECT device_id, device_no FROM device_numbers WHERE device_id = ANY($1::text[]) AND tax_no = $2 AND device_no IS NOT NULL',
      [deviceIds, taxNo],
    )) as { device_id: string; device_no: string }[];
    return new Map(rows.map((r) => [r.device_id, r.device_no]));
  }
}
