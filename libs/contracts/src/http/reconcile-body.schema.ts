import { z } from 'zod';
import { idSchema, periodSchema, taxNoSchema, textSchema } from '../schemas/primitives.schema';

/** `POST /v1/reconciliations`: reconcile one taxpayer and period on demand. */
export const reconciliationRequestSchema = z.object({
  taxNo: taxNoSchema,
  period: periodSchema,
});

export const reconciliationAcceptedSchema = z.object({ runId: idSchema });

export const FINDING_ACTIONS = ['retry', 'resolve', 'ignore'] as const;

/** `POST /v1/findings/{id}/actions`: a person acts on a finding; the reason goes into its history. */
export const findingActionSchema = z.object({
  action: z.enum(FINDING_ACTIONS),
  reason: textSchema(1000),
});

export type ReconciliationRequest = z.output<typeof reconciliationRequestSchema>;
export type FindingAction = z.output<typeof findingActionSchema>;
