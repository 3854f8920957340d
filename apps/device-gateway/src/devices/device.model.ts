import type { Actor } from '@lib/platform';
import { SealedSecret } from '../secrets/secret-cipher';

export type DeviceStatus = 'active' | 'disabled';

/** A registered device as stored: bound to one seller taxpayer and one branch. */
export interface DeviceRecord {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  /** The device's number at the authority (机器编号), when known. */
  deviceNo: string | null;
  status: DeviceStatus;
  sealed: SealedSecret;
  secretRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  /** Who last changed the device; null for rows changed before actors were recorded. */
  updatedBy: Actor | null;
}

/** What the admin API shows of a device: never the secret, sealed or not. */
export interface DeviceView {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  deviceNo: string | null;
  status: DeviceStatus;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  secretRotatedAt: string | null;
  updatedBy: Actor | null;
}

export function toDeviceView(device: DeviceRecord): DeviceView {
  return {
    deviceId: device.deviceId,
    taxNo: device.taxNo,
    branchId: device.branchId,
    name: device.name,
    deviceNo: device.deviceNo,
    status: device.status,
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
    disabledAt: device.disabledAt?.toISOString() ?? null,
    secretRotatedAt: device.secretRotatedAt?.toISOString() ?? null,
    updatedBy: device.updatedBy,
  };
}
