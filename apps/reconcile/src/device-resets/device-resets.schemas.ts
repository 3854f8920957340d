import { z } from 'zod';
import { RESET_MODES, RESET_STATES, RESET_STEPS } from './device-reset.model';

const text = (max: number) => z.string().trim().min(1).max(max);

/** `POST /v1/device-resets`. */
export const createResetSchema = z.object({
  deviceId: text(64),
  reason: text(500),
  mode: z.enum(RESET_MODES),
});

/** `POST /v1/device-resets/{id}/steps/{step}`: an optional note recorded with the step. */
export const stepBodySchema = z.object({ note: text(500).optional() });

/** `POST /v1/device-resets/{id}/cancel`. */
export const cancelResetSchema = z.object({ reason: text(500) });

export const stepParamSchema = z.enum(RESET_STEPS);

/** `GET /v1/device-resets`: newest first; `deviceId` matches the reset's device or its replacement. */
export const listResetsQuerySchema = z.object({
  deviceId: text(64).optional(),
  state: z.enum(RESET_STATES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
