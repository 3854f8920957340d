import { z } from 'zod';
import {
  deviceNoSchema,
  idSchema,
  taxNoSchema,
  textSchema,
  timestampSchema,
} from '../schemas/primitives.schema';

/**
 * `POST /v1/admin/devices`: binds a new device to one seller taxpayer and branch. `deviceNo`, the device's number at
 * the authority (机器编号), is optional: without it reconcile cannot ask the authority about the device's clear-card.
 */
export const registerDeviceBodySchema = z.object({
  taxNo: taxNoSchema,
  branchId: idSchema,
  name: textSchema(200),
  deviceNo: deviceNoSchema.nullable().optional(),
});

/** `PUT /v1/admin/devices/{deviceId}/device-no`: sets or replaces (or, with null, forgets) the authority number. */
export const setDeviceNoBodySchema = z.object({ deviceNo: deviceNoSchema.nullable() });

/** The 201 answer; the secret is shown only here. */
export const registerDeviceResponseSchema = z.object({
  deviceId: idSchema,
  secret: z.string().min(1),
  taxNo: z.string(),
  branchId: idSchema,
  name: z.string(),
  deviceNo: z.string().nullable(),
  createdAt: timestampSchema,
});

export type RegisterDeviceBody = z.output<typeof registerDeviceBodySchema>;
export type SetDeviceNoBody = z.output<typeof setDeviceNoBodySchema>;
export type RegisterDeviceResponse = z.output<typeof registerDeviceResponseSchema>;
