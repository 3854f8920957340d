import { z } from 'zod';
import { MAINTENANCE_STATES, MAINTENANCE_TARGETS } from '@lib/contracts';

export const listWindowsQuerySchema = z
  .object({
    state: z.enum(MAINTENANCE_STATES).optional(),
    target: z.enum(MAINTENANCE_TARGETS).optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
