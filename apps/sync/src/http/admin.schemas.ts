import { z } from 'zod';
import { AppError } from '@lib/common';
import { SYNC_TARGETS } from '@lib/contracts';
import { isInvoiceKey } from '@lib/domain';
import { DELIVERY_STATUSES } from '../delivery/delivery.model';
import { PLATFORMS } from '../routing/routing.model';

/** `PUT /v1/routing/{taxNo}`. The authority is always a target and is not listed. */
export const routingBodySchema = z.object({
  platforms: z
    .array(z.enum(PLATFORMS))
    .max(PLATFORMS.length)
    .refine((p) => new Set(p).size === p.length, { message: 'must not repeat a platform' }),
  allowFailover: z.boolean(),
});

export const taxNoParamSchema = z.string().min(15).max(20).regex(/^[0-9A-Z]+$/, 'must be a taxpayer id');

export const invoiceKeyParamSchema = z.string().refine(isInvoiceKey, { message: 'must be an invoice key' });

/** `POST /v1/deliveries/{invoiceKey}/retry`. */
export const retryBodySchema = z.object({
  target: z.enum(SYNC_TARGETS),
  reason: z.string().min(1).max(500),
});

export const listDeliveriesQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  target: z.enum(SYNC_TARGETS).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const listRoutingQuerySchema = z.object({
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Parses at the edge with the same error shape as everywhere: 400 with field details. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('INVALID_REQUEST', 'validation', `invalid ${where}`, {
    details: parsed.error.issues.map((i) => ({ code: 'INVALID_VALUE', field: [where, ...i.path].join('.'), message: i.message })),
  });
}

/** A JSON schema for OpenAPI, from the same zod schema the handler parses with. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
}
