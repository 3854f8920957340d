import { z } from 'zod';
import { CORRECTION_STATES, RED_REASON_CODES } from './correction.model';

const text = (max: number) => z.string().trim().min(1).max(max);
/** What a form reverses, as a positive amount of at most 2 places (the form carries it negative). */
const money = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\.\d{1,2})?$/, { message: 'must be a positive decimal string with at most 2 places' });

/** `POST /v1/corrections`: a person proposes the red-letter form for a mismatch finding (replacing a pending proposal). */
export const proposeCorrectionSchema = z
  .object({
    findingId: z.uuid({ error: 'must be a UUID' }),
    reasonCode: z.enum(RED_REASON_CODES as [string, ...string[]]),
    amount: money,
    taxAmount: money,
    reissue: z.boolean().default(false),
    /** The corrected re-issue, when it is already issued (only with reissue). */
    reissueInvoiceKey: text(64).optional(),
    note: text(1000),
  })
  .refine((b) => Number(b.amount) > 0 || Number(b.taxAmount) > 0, {
    message: 'nothing to reverse',
    path: ['amount'],
  })
  .refine((b) => b.reissue || b.reissueInvoiceKey === undefined, {
    message: 'a re-issue is named only for a correction that re-issues the invoice (reissue: true)',
    path: ['reissueInvoiceKey'],
  });

/** `POST /v1/corrections/{id}/reissue`: the invoice that re-issues the reversed original, corrected. */
export const linkReissueSchema = z.object({ invoiceKey: text(64), note: text(1000).optional() });

/** `POST /v1/corrections/{id}/approve`: an optional note. */
export const approveCorrectionSchema = z.object({ reason: text(1000).optional() });

/** `POST /v1/corrections/{id}/reject`: why (required). */
export const rejectCorrectionSchema = z.object({ reason: text(1000) });

/** `GET /v1/corrections`: newest first, within the caller's branches. */
export const listCorrectionsQuerySchema = z.object({
  state: z.enum(CORRECTION_STATES).optional(),
  taxNo: text(32).optional(),
  findingId: z.uuid({ error: 'must be a UUID' }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCorrectionsQuery = z.output<typeof listCorrectionsQuerySchema>;
