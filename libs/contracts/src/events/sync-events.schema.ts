import { isInvoiceKey } from '@lib/domain';
import { z } from 'zod';
import { timestampSchema } from '../schemas/primitives.schema';

/** The built-in targets; a re-upload (which reconcile asks for) names one of them. */
export const SYNC_TARGETS = ['authority', 'baiwang', 'nuonuo'] as const;
export type SyncTarget = (typeof SYNC_TARGETS)[number];

/**
 * A target as an outcome names it: any target registered with sync (libs/providers' registry), so adding a vendor
 * needs no change here. Consumers show a name they do not know as it is.
 */
export const targetNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, { message: 'must be a target name (lower case, 2-32 characters)' });

/** accepted: the target has it; rejected: the target refused it (permanent); dead: retries exhausted;
 * relayed: handed to the authority through a third-party platform (see `relayedVia`). */
export const SYNC_OUTCOMES = ['accepted', 'rejected', 'dead', 'relayed'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

export const SYNC_EVENT_TYPES = {
  reupload: 'sync.reupload',
  result: 'sync.result',
} as const;

const invoiceKeySchema = z
  .string()
  .refine(isInvoiceKey, { message: 'must be an invoice key', params: { code: 'INVALID_FORMAT' } });

/** `sync.commands.v1`: re-upload (补传) one invoice to one target. */
export const reuploadCommandSchema = z.object({
  invoiceKey: invoiceKeySchema,
  target: z.enum(SYNC_TARGETS),
  reason: z.string().min(1).max(500),
  /** `reconcile`, `user:<id>`, …: who asked. */
  requestedBy: z.string().min(1).max(100),
  attempt: z.number().int().min(1),
  findingId: z.string().max(64).nullable().default(null),
});

/** `sync.results.v1`: the outcome of pushing one invoice to one target. */
export const syncResultSchema = z
  .object({
    invoiceKey: invoiceKeySchema,
    taxNo: z.string().min(1).max(32),
    target: targetNameSchema,
    outcome: z.enum(SYNC_OUTCOMES),
    /** Our request serial at the target (its idempotency key). */
    requestId: z.string().min(1).max(100),
    errorCode: z.string().max(64).nullable().default(null),
    errorMessage: z.string().max(1000).nullable().default(null),
    attempts: z.number().int().min(1),
    /** The target's own id for the record, when it gave one. */
    targetRecordId: z.string().max(100).nullable().default(null),
    relayedVia: targetNameSchema.nullable().default(null),
    at: timestampSchema,
  })
  .superRefine((result, ctx) => {
    if ((result.outcome === 'rejected' || result.outcome === 'dead') && !result.errorCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['errorCode'],
        message: `is required when the outcome is ${result.outcome}`,
        params: { code: 'REQUIRED' },
      });
    }
  });

export type ReuploadCommand = z.output<typeof reuploadCommandSchema>;
export type SyncResult = z.output<typeof syncResultSchema>;
