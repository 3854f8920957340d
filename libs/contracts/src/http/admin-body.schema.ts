import { z } from 'zod';
import { idSchema, taxNoSchema, textSchema, timestampSchema } from '../schemas/primitives.schema';

/** `POST /v1/admin/devices`: binds a new device to one seller taxpayer and branch. */
export const registerDeviceBodySchema = z.object({
  taxNo: taxNoSchema,
  branchId: idSchema,
  name: textSchema(200),
});

/** The 201 answer; the secret is shown only here. */
export const registerDeviceResponseSchema = z.object({
  deviceId: idSchema,
  secret: z.string().min(1),
  taxNo: z.string(),
  branchId: idSchema,
  name: z.string(),
  createdAt: timestampSchema,
});

export type RegisterDeviceBody = z.output<typeof registerDeviceBodySchema>;
export type RegisterDeviceResponse = z.output<typeof registerDeviceResponseSchema>;
