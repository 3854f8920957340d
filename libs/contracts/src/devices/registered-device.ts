import { z } from 'zod';
import { registerDeviceResponseSchema } from '../http/admin-body.schema';
import { fieldErrorSchema } from '../http/invoice-body.schema';

/**
 * The gateway's answer to a device registration (`POST /v1/admin/devices`, 201), as its OpenAPI document states it.
 * `warnings` is present only when the taxpayer id was accepted with a remark (a wrong USCC check digit, a legacy id).
 */
export const registeredDeviceSchema = registerDeviceResponseSchema.extend({
  /** The day the tax device was issued (YYYY-MM-DD), when given at registration. */
  activatedOn: z.string().nullable(),
  warnings: z.array(fieldErrorSchema).optional(),
});

/** The one type of that answer: what the gateway returns and what the device SDK (@lib/device-client) reads. */
export type RegisteredDevice = z.output<typeof registeredDeviceSchema>;
