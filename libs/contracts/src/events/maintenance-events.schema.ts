import { z } from 'zod';
import { taxNoSchema, textSchema, timestampSchema, uuidSchema } from '../schemas/primitives.schema';

/**
 * Whose maintenance a window is: ours (the product: devices cannot reach us), the tax authority's, or a platform's
 * (Baiwang, Nuonuo).
 */
export const MAINTENANCE_TARGETS = ['product', 'authority', 'baiwang', 'nuonuo'] as const;
export type MaintenanceTarget = (typeof MAINTENANCE_TARGETS)[number];

/** What happened to a window: announced, changed (times, reason, taxpayers) or cancelled. */
export const MAINTENANCE_CHANGES = ['announced', 'changed', 'cancelled'] as const;
export type MaintenanceChange = (typeof MAINTENANCE_CHANGES)[number];

export const MAINTENANCE_STATES = ['scheduled', 'cancelled'] as const;
export type MaintenanceState = (typeof MAINTENANCE_STATES)[number];

export const MAINTENANCE_EVENT_TYPES = { changed: 'maintenance.changed' } as const;

/** Taxpayers a window concerns: at most this many; none (null) means every taxpayer. */
export const MAINTENANCE_MAX_TAXPAYERS = 500;

const actorSchema = z.object({
  kind: z.enum(['person', 'service']),
  subject: z.string().min(1).max(256),
  name: z.string().min(1).max(256),
});

/**
 * `reconcile.maintenance.v1` (key: the window id): a maintenance window as it is after an admin announced, changed or
 * cancelled it. `revision` grows by one with every change, so a consumer applies a revision once and never goes back.
 */
export const maintenanceChangedSchema = z
  .object({
    windowId: uuidSchema,
    change: z.enum(MAINTENANCE_CHANGES),
    revision: z.number().int().min(1),
    state: z.enum(MAINTENANCE_STATES),
    target: z.enum(MAINTENANCE_TARGETS),
    startsAt: timestampSchema,
    endsAt: timestampSchema,
    reason: textSchema(500),
    /** The taxpayers concerned; null: every taxpayer. */
    taxNos: z.array(taxNoSchema).min(1).max(MAINTENANCE_MAX_TAXPAYERS).nullable(),
    cancelReason: textSchema(500).nullable().default(null),
    /** Who made this change. */
    actor: actorSchema,
    updatedAt: timestampSchema,
  })
  .superRefine((w, ctx) => {
    if (new Date(w.endsAt).getTime() <= new Date(w.startsAt).getTime()) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'a window ends after it starts', params: { code: 'INVALID_VALUE' } });
    }
    if ((w.state === 'cancelled') !== (w.change === 'cancelled')) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: 'only a cancellation leaves a window cancelled', params: { code: 'INVALID_VALUE' } });
    }
  });

export type MaintenanceChanged = z.output<typeof maintenanceChangedSchema>;
