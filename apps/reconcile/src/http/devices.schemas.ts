import { z } from 'zod';
import { AppError } from '@lib/common';
import { periodSchema } from '@lib/contracts';
import { ReconcileErrorCode } from '../reconcile-error-codes';

const text = (max: number) => z.string().trim().min(1).max(max);
export const MAX_DEVICE_IDS = 200;

/**
 * `GET /v1/devices`. `period` is the period whose clear-card is judged (default: the one due at the next or last filing
 * deadline, as of now); `deviceIds` (comma-separated, up to 200) lets the console join a page of the gateway's registry;
 * `cleared=false` lists the devices still to clear. The cursor is opaque (base64url of the last device id).
 */
export const listDevicesQuerySchema = z.object({
  taxNo: text(32).optional(),
  branchId: text(64).optional(),
  period: periodSchema.optional(),
  deviceIds: z
    .string()
    .max(MAX_DEVICE_IDS * 65)
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    )
    .pipe(z.array(z.string().max(64)).min(1).max(MAX_DEVICE_IDS))
    .optional(),
  cleared: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListDevicesQuery = z.output<typeof listDevicesQuerySchema>;

/** `GET /v1/devices/:deviceId`. */
export const deviceIdParamSchema = text(64);
export const devicePeriodQuerySchema = z.object({ period: periodSchema.optional() });

export function encodeDeviceCursor(deviceId: string): string {
  return Buffer.from(JSON.stringify([deviceId])).toString('base64url');
}

export function decodeDeviceCursor(cursor: string): string {
  try {
    const [id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  } catch {
    // falls through to the error below
  }
  throw new AppError(ReconcileErrorCode.INVALID_CURSOR, 'validation', 'cursor is not one this API returned');
}
