/**
 * Where reconcile would learn a device's authority number (机器编号 / 税控设备编号), which the authority's
 * clear-card status is keyed by (`GET /v1/taxpayers/{taxNo}/devices/{deviceNo}/clear-card`).
 *
 * Today nothing carries it: the device registry (device-gateway `devices`: deviceId, taxNo, branchId, name)
 * and the device events (`device.clear-card`, `device.report`, `device.monitor` on device.events.v1) know
 * only the gateway's own deviceId, a UUID it generated. So no implementation maps anything yet
 * (NoDeviceNumbers) and the authority clear-card cross-check (AuthorityClearCardCheck) answers
 * NO_DEVICE_NUMBER for every device. An implementation needs the number from the source: an optional
 * `deviceNo` at registration (`POST /v1/admin/devices`) or in each device event, projected by reconcile.
 */
export interface DeviceNumberDirectory {
  /** The authority's number of this device of this taxpayer; null when unknown. */
  authorityDeviceNo(taxNo: string, deviceId: string): Promise<string | null>;
}

export const DEVICE_NUMBERS = Symbol('DEVICE_NUMBERS');

/** The directory until a source of 机器编号 exists: knows none. */
export class NoDeviceNumbers implements DeviceNumberDirectory {
  async authorityDeviceNo(): Promise<string | null> {
    return null;
  }
}
