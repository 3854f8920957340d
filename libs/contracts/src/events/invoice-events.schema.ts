import { invoiceKey, isInvoiceKey, InvoiceEventKind } from '@lib/domain';
import { z } from 'zod';
import { fieldErrorSchema, invoiceSchema } from '../http/invoice-body.schema';
import { idSchema, timestampSchema } from '../schemas/primitives.schema';

export const INVOICE_EVENT_TYPES = {
  issued: 'invoice.issued',
  'red-issued': 'invoice.red-issued',
  voided: 'invoice.voided',
} as const satisfies Record<InvoiceEventKind, string>;

export function invoiceEventTypeOf(kind: InvoiceEventKind): (typeof INVOICE_EVENT_TYPES)[InvoiceEventKind] {
  return INVOICE_EVENT_TYPES[kind];
}

/**
 * `invoice.events.v1` data, for all three kinds (the kind is the envelope type). The envelope id is the client's
 * eventId, the idempotency key. `taxNo` is the seller, the device's taxpayer.
 */
export const invoiceEventDataSchema = z
  .object({
    invoiceKey: z
      .string()
      .refine(isInvoiceKey, { message: 'must be an invoice key', params: { code: 'INVALID_FORMAT' } }),
    invoice: invoiceSchema,
    deviceId: idSchema,
    branchId: idSchema,
    taxNo: z.string().min(1).max(32),
    receivedAt: timestampSchema,
    /** Warnings the gateway accepted the invoice with (e.g. TAX_NO_CHECK_DIGIT). */
    warnings: z.array(fieldErrorSchema).default([]),
  })
  .superRefine((data, ctx) => {
    let expected: string | null = null;
    try {
      expected = invoiceKey(data.invoice);
    } catch {
      expected = null;
    }
    if (expected !== data.invoiceKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['invoiceKey'],
        message: `does not match the invoice (${expected ?? 'no valid key'})`,
        params: { code: 'INVALID_VALUE' },
      });
    }
    if (data.taxNo !== data.invoice.sellerTaxNo) {
      ctx.addIssue({
        code: 'custom',
        path: ['taxNo'],
        message: 'must be the invoice seller',
        params: { code: 'INVALID_VALUE' },
      });
    }
  });

export type InvoiceEventData = z.output<typeof invoiceEventDataSchema>;
