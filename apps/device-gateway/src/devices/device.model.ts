import type { DeviceStatus } from '@lib/contracts';
import type { Actor } from '@lib/platform';
import { SealedSecret } from '../secrets/secret-cipher';

export type { DeviceStatus };

/** A registered device as stored: bound to one seller taxpayer and one branch. */
export interface DeviceRecord {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  /** The device's number at the authority (机器编号), when known. */
  deviceNo: string | null;
  status: DeviceStatus;
  /** Why the status last changed (a person's words); null while it never did. */
  statusReason: string | null;
  statusChangedAt: Date | null;
  /** The platform (target name) hosting the device; null for a device on premises. */
  hostedOn: string | null;
  /** The device that replaces this retired one, when a reset registered one. */
  replacedBy: string | null;
  /** YYYY-MM-DD: the day the tax device was issued (发行日期), when given at registration; null: it began then. */
  activatedOn: string | null;
  sealed: SealedSecret;
  secretRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** When the device was retired (the old "disabled"); kept for the clients that read it. */
  disabledAt: Date | null;
  /** Who last changed the device; null for rows changed before actors were recorded. */
  updatedBy: Actor | null;
  /** When `device.changed` first carried the device's whole view; null: the announcer still owes it. */
  announcedAt: Date | null;
}

/** What the admin API shows of a device: never the secret, sealed or not. */
export interface DeviceView {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  deviceNo: string | null;
  status: DeviceStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  hostedOn: string | null;
  replacedBy: string | null;
  activatedOn: string | null;
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
    statusReason: device.statusReason,
    statusChangedAt: device.statusChangedAt?.toISOString() ?? null,
    hostedOn: device.hostedOn,
    replacedBy: device.replacedBy,
    activatedOn: device.activatedOn,
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
    disabledAt: device.disabledAt?.toISOString() ?? null,
    secretRotatedAt: device.secretRotatedAt?.toISOString() ?? null,
    updatedBy: device.updatedBy,
  };
}
