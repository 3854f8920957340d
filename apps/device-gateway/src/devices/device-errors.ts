import { AppError } from '@lib/common';

export function deviceNotFound(deviceId: string): AppError {
  return new AppError('DEVICE_NOT_FOUND', 'not_found', `no device ${deviceId}`);
}
