import { z } from 'zod';
import {
  clearCardBodySchema,
  DEVICE_CHANGES,
  DEVICE_STATUSES,
  deviceActorSchema,
  deviceEventResponseSchema,
  fieldErrorSchema,
  invoiceItemSchema,
  invoicesRequestSchema,
  invoicesResponseSchema,
  MAX_INVOICES_PER_REQUEST,
  monitorBodySchema,
  registeredDeviceSchema,
  reportBodySchema,
  setDeviceNoBodySchema,
} from '@lib/contracts';
import { openApiSchema } from '@lib/platform';
import { registerDeviceRequestSchema } from '../use-cases/register-device/register-device.command';
import { retireDeviceBodySchema } from '../use-cases/retire-device/retire-device.command';
import { setDeviceHostingBodySchema } from '../use-cases/set-device-hosting/set-device-hosting.command';
import { suspendDeviceBodySchema } from '../use-cases/suspend-device/suspend-device.command';

const timestamp = z.iso.datetime({ offset: true });

const deviceViewSchema = z.object({
  deviceId: z.string(),
  taxNo: z.string(),
  branchId: z.string(),
  name: z.string(),
  deviceNo: z.string().nullable(),
  /** active; suspended (401 DEVICE_SUSPENDED until enabled); retired (401 DEVICE_RETIRED for good). */
  status: z.enum(DEVICE_STATUSES),
  /** Why the status last changed, as the person said it; null while it never did. */
  statusReason: z.string().nullable(),
  statusChangedAt: timestamp.nullable(),
  /** The platform (target name) hosting the device; null on premises. */
  hostedOn: z.string().nullable(),
  /** The device that replaces this retired one, when one was named. */
  replacedBy: z.string().nullable(),
  /** YYYY-MM-DD: the day the tax device was issued, when given at registration. */
  activatedOn: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** When the device was retired (the old name: disabled). */
  disabledAt: timestamp.nullable(),
  secretRotatedAt: timestamp.nullable(),
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
  registerDevice: openApiSchema(registerDeviceRequestSchema),
  setDeviceNo: openApiSchema(setDeviceNoBodySchema),
  /** Suspend and enable: the reason, 1-500 characters. */
  changeReason: openApiSchema(suspendDeviceBodySchema),
  retireDevice: openApiSchema(retireDeviceBodySchema),
  setDeviceHosting: openApiSchema(setDeviceHostingBodySchema),
  deviceChanges: openApiSchema(
    z.object({
      items: z.array(
        z.object({
          change: z.enum(DEVICE_CHANGES),
          at: timestamp,
          reason: z.string().nullable(),
          actor: deviceActorSchema.extend({ name: z.string() }),
          /** The status the change left the device in. */
          status: z.enum(DEVICE_STATUSES),
          /** What else it set: deviceNo, hostedOn, replacedBy, the secret's keyId, the registered name. */
          detail: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    'output',
  ),
  registeredDevice: openApiSchema(registeredDeviceSchema, 'output'),
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
