import { z } from 'zod';
import { idSchema, periodSchema } from '@lib/contracts';
import { REMOTE_OP_LIST_STATES } from '../remote-ops/remote-ops.model';
import { taxNoParamSchema } from './admin.schemas';

export const deviceIdParamSchema = idSchema;

/** `PUT /v1/remote-ops/taxpayers/{taxNo}` and `PUT /v1/remote-ops/devices/{deviceId}`. */
export const remoteOpsSettingBodySchema = z.object({
  enabled: z.boolean(),
  reason: z.string().trim().min(1).max(500),
});

/** `POST /v1/remote-ops/devices/{deviceId}/retry`: why a person runs it again (optional). */
export const remoteOpsRetryBodySchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .optional()
  .transform((body) => body ?? {});

export const listRemoteOpsQuerySchema = z.object({
  /** Default: the period in filing (or, between windows, the last one). */
  period: periodSchema.optional(),
  taxNo: taxNoParamSchema.optional(),
  state: z.enum(REMOTE_OP_LIST_STATES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
