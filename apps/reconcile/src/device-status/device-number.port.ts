/**
 * Where reconcile learns a device's authority number (机器编号 / 税控设备编号), which the authority's clear-card
 * status is keyed by (`GET /v1/taxpayers/{taxNo}/devices/{deviceNo}/clear-card`). The gateway registers it
 * (optional `deviceNo` at `POST /v1/admin/devices`, or `PUT /v1/admin/devices/{deviceId}/device-no`) and adds it
 * to every device event; reconcile projects it (`device_numbers`, ProjectedDeviceNumbers).
 */
export interface DeviceNumberDirectory {
  /** The authority's number of this device of this taxpayer; null when unknown. */
  authorityDeviceNo(taxNo: string, deviceId: string): Promise<string | null>;
  /** The numbers of these devices of this taxpayer that are known (one look-up for a run's devices). */
  authorityDeviceNos(taxNo: string, deviceIds: readonly string[]): Promise<Map<string, string>>;
}

export const DEVICE_NUMBERS = Symbol('DEVICE_NUMBERS');
