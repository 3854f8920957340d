import { INVOICE_EVENT_KINDS } from '@lib/domain';
import { z } from 'zod';
import {
  invoiceTypeSchema,
  moneySchema,
  textSchema,
  timestampSchema,
  uuidSchema,
} from '../schemas/primitives.schema';

export const MAX_INVOICES_PER_REQUEST = 1000;
export const MAX_LINES_PER_INVOICE = 2000;
export const MAX_NAME_LENGTH = 200;

/**
 * Shape only. Formats with a business meaning (code, number, taxCode, rate, tax ids, red reason) are plain bounded
 * strings here and are judged by the domain rules, which give each its own error code.
 */
export const invoiceLineSchema = z.object({
  name: textSchema(MAX_NAME_LENGTH),
  taxCode: z.string().max(32),
  quantity: z.string().max(40).nullable().default(null),
  unitPrice: z.string().max(40).nullable().default(null),
  amount: moneySchema,
  taxRate: z.string().max(16),
  taxAmount: moneySchema,
});

export const invoiceReferenceSchema = z.object({
  code: z.string().max(20).nullable().default(null),
  number: z.string().max(32),
});

export const invoiceSchema = z.object({
  type: invoiceTypeSchema,
  code: z.string().max(20).nullable().default(null),
  number: z.string().max(32),
  issuedAt: timestampSchema,
  sellerTaxNo: z.string().max(32),
  sellerName: textSchema(MAX_NAME_LENGTH),
  buyerTaxNo: z.string().max(32).nullable().default(null),
  buyerName: textSchema(MAX_NAME_LENGTH),
  amount: moneySchema,
  taxAmount: moneySchema,
  totalAmount: moneySchema,
  checkCode: z.string().max(32).nullable().default(null),
  lines: z.array(invoiceLineSchema).min(1).max(MAX_LINES_PER_INVOICE),
  original: invoiceReferenceSchema.nullable().default(null),
  redReason: z.string().max(8).nullable().default(null),
});

/** One item of `POST /v1/invoices`. */
export const invoiceItemSchema = z.object({
  eventId: uuidSchema,
  kind: z.enum(INVOICE_EVENT_KINDS),
  invoice: invoiceSchema,
});

/**
 * The request envelope only: items stay `unknown` so that each is validated on its own and one bad item never
 * rejects the others.
 */
export const invoicesRequestSchema = z.object({
  invoices: z.array(z.unknown()).min(1).max(MAX_INVOICES_PER_REQUEST),
});

export const INVOICE_RESULT_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;

export const fieldErrorSchema = z.object({ code: z.string(), field: z.string(), message: z.string() });

/** One entry of the 200 response, in request order. `warnings` is an addition for accepted items. */
export const invoiceResultSchema = z.object({
  eventId: z.string().nullable(),
  status: z.enum(INVOICE_RESULT_STATUSES),
  errors: z.array(fieldErrorSchema),
  warnings: z.array(fieldErrorSchema).optional(),
});

export const invoicesResponseSchema = z.object({ results: z.array(invoiceResultSchema) });

export type InvoiceLineBody = z.output<typeof invoiceLineSchema>;
export type InvoiceBody = z.output<typeof invoiceSchema>;
export type InvoiceItem = z.output<typeof invoiceItemSchema>;
export type InvoicesRequest = z.output<typeof invoicesRequestSchema>;
export type InvoiceResult = z.output<typeof invoiceResultSchema>;
export type InvoicesResponse = z.output<typeof invoicesResponseSchema>;
