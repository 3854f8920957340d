import { z } from 'zod';
import {
  clearCardBodySchema,
  deviceEventResponseSchema,
  fieldErrorSchema,
  invoiceItemSchema,
  invoicesRequestSchema,
  invoicesResponseSchema,
  MAX_INVOICES_PER_REQUEST,
  monitorBodySchema,
  registerDeviceBodySchema,
  registerDeviceResponseSchema,
  reportBodySchema,
  setDeviceNoBodySchema,
} from '@lib/contracts';
import { openApiSchema } from '@lib/platform';

const deviceViewSchema = z.object({
  deviceId: z.string(),
  taxNo: z.string(),
  branchId: z.string(),
  name: z.string(),
  deviceNo: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  disabledAt: z.iso.datetime({ offset: true }).nullable(),
  secretRotatedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Who last changed the device (null: before actors were recorded). */
  updatedBy: z
    .object({ kind: z.enum(['person', 'service']), subject: z.string(), name: z.string() })
    .nullable(),
});

/** The contracts' zod schemas, rendered for the OpenAPI document: what /docs shows is what the code checks. */
export const API_SCHEMAS = {
  // Documented with typed items; the code reads items as unknown so that each is judged on its own.
  invoicesRequest: openApiSchema(
    invoicesRequestSchema.extend({
      invoices: z.array(invoiceItemSchema).min(1).max(MAX_INVOICES_PER_REQUEST),
    }),
  ),
  invoicesResponse: openApiSchema(invoicesResponseSchema, 'output'),
  clearCard: openApiSchema(clearCardBodySchema),
  report: openApiSchema(reportBodySchema),
  monitor: openApiSchema(monitorBodySchema),
  deviceEventResponse: openApiSchema(deviceEventResponseSchema, 'output'),
  registerDevice: openApiSchema(registerDeviceBodySchema),
  setDeviceNo: openApiSchema(setDeviceNoBodySchema),
  registeredDevice: openApiSchema(
    registerDeviceResponseSchema.extend({ warnings: z.array(fieldErrorSchema).optional() }),
    'output',
  ),
  device: openApiSchema(deviceViewSchema, 'output'),
  devicePage: openApiSchema(
    z.object({ items: z.array(deviceViewSchema), nextCursor: z.string().nullable() }),
    'output',
  ),
  rotatedSecret: openApiSchema(
    z.object({ deviceId: z.string(), secret: z.string(), rotatedAt: z.string() }),
    'output',
  ),
  reencryption: openApiSchema(
    z.object({
      activeKeyId: z.string(),
      reencrypted: z.number().int(),
      failed: z.array(z.string()),
      remaining: z.number().int(),
    }),
    'output',
  ),
  error: openApiSchema(
    z.object({
      error: z.object({
        code: z.string().meta({ examples: ['BAD_SIGNATURE'] }),
        message: z.string(),
        details: z.array(fieldErrorSchema),
      }),
    }),
    'output',
  ),
};
