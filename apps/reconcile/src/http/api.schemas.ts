import { z } from 'zod';
import { FINDING_STATES, FINDING_TYPES, periodSchema } from '@lib/contracts';
import { isInvoiceKey } from '@lib/domain';

export const invoiceKeyParamSchema = z.string().refine(isInvoiceKey, { message: 'must be an invoice key' });
export const uuidParamSchema = z.uuid({ error: 'must be a UUID' });

/** `GET /v1/findings`. The cursor is opaque (base64url of the last item's createdAt and id). */
export const listFindingsQuerySchema = z.object({
  taxNo: z.string().min(1).max(32).optional(),
  period: periodSchema.optional(),
  type: z.enum(FINDING_TYPES).optional(),
  state: z.enum(FINDING_STATES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export type ListFindingsQuery = z.output<typeof listFindingsQuerySchema>;
