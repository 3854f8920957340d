/**
 * A device's lifecycle in the registry, as `device.changed` carries it. Plain constants (no schema library), so that
 * the console's web build can import them as they are.
 */
export const DEVICE_STATUSES = ['active', 'suspended', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const DEVICE_CHANGES = [
  /** Published once for every device that existed before device.changed did (and on re-announcement). */
  'snapshot',
  'registered',
  'suspended',
  'enabled',
  'retired',
  'secret-rotated',
  'device-no-set',
  'hosting-set',
] as const;
export type DeviceChange = (typeof DEVICE_CHANGES)[number];
