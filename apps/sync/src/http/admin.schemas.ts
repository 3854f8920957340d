import { z } from 'zod';
import { isInvoiceKey } from '@lib/domain';
import { targetRegistry } from '@lib/providers';
import { DELIVERY_STATUSES } from '../delivery/delivery.model';

// Names are checked against the target registry when a request is parsed (so registered targets count). A query-only
// target (Nuonuo) passes here and is refused by the controller with its own code, PLATFORM_QUERY_ONLY.
const platformName = z
  .string()
  .refine((name) => targetRegistry.isPlatform(name) || targetRegistry.isQueryOnly(name), {
    message: 'must be a registered platform',
  });
const targetName = z
  .string()
  .refine((name) => targetRegistry.isTarget(name), { message: 'must be a registered target' });

export const taxNoParamSchema = z
  .string()
  .min(15)
  .max(20)
  .regex(/^[0-9A-Z]+$/, 'must be a taxpayer id');

/** `PUT /v1/routing/{taxNo}`. The authority is always a target and is not listed. */
export const routingBodySchema = z.object({
  platforms: z
    .array(platformName)
    .refine((p) => new Set(p).size === p.length, { message: 'must not repeat a platform' }),
  allowFailover: z.boolean(),
});

export const invoiceKeyParamSchema = z.string().refine(isInvoiceKey, { message: 'must be an invoice key' });

/** `POST /v1/deliveries/{invoiceKey}/retry`. */
export const retryBodySchema = z.object({
  target: targetName,
  reason: z.string().min(1).max(500),
});

export const listDeliveriesQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  target: targetName.optional(),
  taxNo: taxNoParamSchema.optional(),
  branchId: z.string().min(1).max(64).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const listRoutingQuerySchema = z.object({
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
