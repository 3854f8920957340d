import { AppError } from '@lib/common';
import { DeviceStatus } from './device.model';
import { GatewayErrorCode } from '../gateway-error-codes';

export type StatusAction = 'suspend' | 'enable' | 'retire';

const TARGET: Record<StatusAction, DeviceStatus> = {
  suspend: 'suspended',
  enable: 'active',
  retire: 'retired',
};

/**
 * The status `action` leads to from `current`, or null when the device already is there (the action is then a
 * no-op: idempotent). Retired is for good: only retire itself is accepted, as a no-op; anything else answers 409
 * DEVICE_RETIRED.
 */
export function nextStatus(
  deviceId: string,
  current: DeviceStatus,
  action: StatusAction,
): DeviceStatus | null {
  const target = TARGET[action];
  if (current === target) return null;
  if (current === 'retired') throw deviceRetired(deviceId);
  return target;
}

export function deviceRetired(deviceId: string): AppError {
  return new AppError(GatewayErrorCode.DEVICE_RETIRED, 'conflict', `device ${deviceId} is retired for good`);
}
