import { AppError } from '@lib/common';
import { GatewayErrorCode } from '../gateway-error-codes';

export function deviceNotFound(deviceId: string): AppError {
  return new AppError(GatewayErrorCode.DEVICE_NOT_FOUND, 'not_found', `no device ${deviceId}`);
}

/** A device hosted on a platform is known there by its authority number (机器编号). */
export function deviceNoRequired(deviceId: string): AppError {
  return new AppError(
    GatewayErrorCode.DEVICE_NO_REQUIRED,
    'validation',
    `device ${deviceId} is hosted on a platform, which knows it by its device number: set deviceNo first`,
    {
      details: [
        {
          code: GatewayErrorCode.DEVICE_NO_REQUIRED,
          field: 'deviceNo',
          message: 'is required for a hosted device',
        },
      ],
    },
  );
}
