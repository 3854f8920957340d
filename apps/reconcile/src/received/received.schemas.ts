import { z } from 'zod';
import { INVOICE_TYPES } from '@lib/domain';
import { CHECK_RESULTS } from './received-invoice.model';

/** Input limits: one batch registers at most this many invoices, one batch check asks about at most this many. */
export const MAX_REGISTER_BATCH = 500;
export const MAX_CHECK_BATCH = 50;

const uscc = z.string().trim().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'must be an 18-character unified social credit code' });
const money = z.string().trim().regex(/^-?\d{1,15}(\.\d{1,2})?$/, { message: 'must be a decimal string with at most 2 places' });
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * One received invoice as a branch registers it: the invoice's own fields (what 查验 needs: type, code, number, issue
 * time, amounts, and the check code for general paper or electronic invoices) and the branch that received it. The buyer
 * is our taxpayer.
 */
export const receivedInvoiceInputSchema = z.object({
  branchId: text(64),
  type: z.enum(INVOICE_TYPES as unknown as [string, ...string[]]),
  code: z.string().trim().regex(/^(\d{10}|\d{12})$/, { message: 'must be 10 or 12 digits' }).nullish(),
  number: z.string().trim().regex(/^(\d{8}|\d{20})$/, { message: 'must be 8 digits, or 20 for a fully digital invoice' }),
  issuedAt: z.iso.datetime({ offset: true, message: 'must be ISO-8601 with an offset' }),
  sellerTaxNo: uscc,
  sellerName: text(200),
  buyerTaxNo: uscc,
  amount: money,
  taxAmount: money,
  totalAmount: money,
  checkCode: z.string().trim().regex(/^\d{6,20}$/, { message: 'must be 6 to 20 digits' }).nullish(),
});
export type ReceivedInvoiceInput = z.output<typeof receivedInvoiceInputSchema>;

export const registerBatchSchema = z.object({
  invoices: z.array(z.unknown()).min(1).max(MAX_REGISTER_BATCH),
});

export const checkBatchSchema = z.object({
  ids: z.array(z.uuid({ error: 'must be a UUID' })).min(1).max(MAX_CHECK_BATCH),
});

export const listReceivedQuerySchema = z.object({
  taxNo: text(32).optional(),
  branchId: text(64).optional(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be YYYY-MM' }).optional(),
  result: z.enum(CHECK_RESULTS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListReceivedQuery = z.output<typeof listReceivedQuerySchema>;
