import { z } from 'zod';
import { FINDING_SEVERITIES, FINDING_STATES, FINDING_TYPES, periodSchema } from '@lib/contracts';
import { isInvoiceKey } from '@lib/domain';

export const invoiceKeyParamSchema = z.string().refine(isInvoiceKey, { message: 'must be an invoice key' });

const text = (max: number) => z.string().trim().min(1).max(max);
const limit = z.coerce.number().int().min(1).max(500).default(100);

/** `GET /v1/findings`. The cursor is opaque (base64url of the last item's createdAt and id). */
export const listFindingsQuerySchema = z.object({
  taxNo: text(32).optional(),
  period: periodSchema.optional(),
  type: z.enum(FINDING_TYPES).optional(),
  state: z.enum(FINDING_STATES).optional(),
  branchId: text(64).optional(),
  severity: z.enum(FINDING_SEVERITIES).optional(),
  /** The invoice's number, exactly (the 20-digit 数电 number, or a legacy invoice's 8-digit number). */
  invoiceNumber: text(32).optional(),
  cursor: z.string().max(200).optional(),
  limit,
});

/** `GET /v1/findings/summary`: the console's overview. */
export const findingsSummaryQuerySchema = z.object({
  taxNo: text(32).optional(),
  period: periodSchema.optional(),
  branchId: text(64).optional(),
});

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const dateOrInstant = z.union([z.iso.date(), isoInstant], {
  error: 'must be YYYY-MM-DD or an ISO 8601 date-time',
});

/** `GET /v1/invoices`: the ledger projection, newest issue first. `from`/`to` bound the issue time (`to` exclusive). */
export const searchInvoicesQuerySchema = z.object({
  number: text(32).optional(),
  code: text(16).optional(),
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  taxNo: text(32).optional(),
  branchId: text(64).optional(),
  deviceId: text(64).optional(),
  /** The buyer's tax number exactly, or a part of the buyer's name. */
  buyer: text(100).optional(),
  cursor: z.string().max(200).optional(),
  limit,
});

/** `GET /v1/reconciliations`: runs, newest first. */
export const listRunsQuerySchema = z.object({
  taxNo: text(32).optional(),
  period: periodSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit,
});
