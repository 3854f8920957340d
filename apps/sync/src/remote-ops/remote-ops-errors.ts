import { AppError } from '@lib/common';
import { SyncErrorCode } from '../sync-error-codes';

/** A device outside the caller's branches answers exactly like an unknown one. */
export const remoteOpsDeviceNotFound = (deviceId: string): AppError =>
  new AppError(SyncErrorCode.DEVICE_NOT_FOUND, 'not_found', `device ${deviceId} is not known to sync`);
