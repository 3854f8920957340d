import { z } from 'zod';
import { AppError } from '@lib/common';
import { parseBody } from '@lib/contracts';
import { GatewayErrorCode } from '../../gateway-error-codes';

export const MAX_CHANGES = 500;

const changesQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_CHANGES))
    .optional(),
});

/** `GET /v1/admin/devices/{deviceId}/changes?limit=`: the newest `limit` changes (default 100). */
export interface ListDeviceChangesQuery {
  deviceId: string;
  limit: number;
}

export function toListDeviceChangesQuery(deviceId: string, raw: unknown): ListDeviceChangesQuery {
  const parsed = parseBody(changesQuerySchema, raw ?? {});
  if (!parsed.ok)
    throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', 'bad query parameters', {
      details: parsed.errors,
    });
  return { deviceId, limit: parsed.value.limit ?? 100 };
}
