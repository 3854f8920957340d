import { AppError } from '@lib/common';
import { idSchema } from '@lib/contracts';
import { SyncErrorCode } from '../sync-error-codes';

/** Keyset cursor: the last device id of a page, opaque to callers. */
export function encodeRemoteOpsCursor(deviceId: string): string {
  return Buffer.from(deviceId, 'utf8').toString('base64url');
}

export function decodeRemoteOpsCursor(cursor: string): string {
  const deviceId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idSchema.safeParse(deviceId).success || encodeRemoteOpsCursor(deviceId) !== cursor)
    throw new AppError(SyncErrorCode.INVALID_CURSOR, 'validation', 'cursor is not one this API returned');
  return deviceId;
}
