import { z } from 'zod';
import { MAINTENANCE_MAX_TAXPAYERS, MAINTENANCE_TARGETS } from '../events/maintenance-events.schema';
import { taxNoSchema, textSchema, timestampSchema } from '../schemas/primitives.schema';

const windowFields = {
  target: z.enum(MAINTENANCE_TARGETS),
  startsAt: timestampSchema,
  endsAt: timestampSchema,
  reason: textSchema(500),
  /** The taxpayers concerned; omitted or null: every taxpayer. */
  taxNos: z.array(taxNoSchema).min(1).max(MAINTENANCE_MAX_TAXPAYERS).nullable().optional(),
};

function endsAfterStart(w: { startsAt?: string; endsAt?: string }, ctx: z.RefinementCtx): void {
  if (w.startsAt && w.endsAt && new Date(w.endsAt).getTime() <= new Date(w.startsAt).getTime()) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt', params: { code: 'INVALID_VALUE' } });
  }
}

/** `POST /v1/maintenance-windows`: an admin announces a maintenance window. */
export const announceMaintenanceSchema = z.object(windowFields).strict().superRefine(endsAfterStart);

/** `PATCH /v1/maintenance-windows/{id}`: an admin changes what they give (at least one field); `note` says why. */
export const changeMaintenanceSchema = z
  .object({ ...windowFields, note: textSchema(500).optional() })
  .partial()
  .strict()
  .superRefine((w, ctx) => {
    endsAfterStart(w, ctx);
    if (!Object.keys(w).some((k) => k !== 'note')) {
      ctx.addIssue({ code: 'custom', path: [], message: 'nothing to change', params: { code: 'REQUIRED' } });
    }
  });

/** `POST /v1/maintenance-windows/{id}/cancel`. */
export const cancelMaintenanceSchema = z.object({ reason: textSchema(500) }).strict();

export type AnnounceMaintenance = z.output<typeof announceMaintenanceSchema>;
export type ChangeMaintenance = z.output<typeof changeMaintenanceSchema>;
