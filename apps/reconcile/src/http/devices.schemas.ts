import { z } from 'zod';
import { periodSchema } from '@lib/contracts';

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


/** `GET /v1/devices/:deviceId`. */
export const deviceIdParamSchema = text(64);
export const devicePeriodQuerySchema = z.object({ period: periodSchema.optional() });
