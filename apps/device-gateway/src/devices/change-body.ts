import { z } from 'zod';
import { AppError } from '@lib/common';
import { parseBody } from '@lib/contracts';
import { GatewayErrorCode } from '../gateway-error-codes';

/** Longest reason a person may give for a change (the `device.changed` contract's bound). */
export const REASON_MAX = 500;

/** Why a person suspends, enables or retires a device: 1-500 characters once trimmed. */
export const changeReasonSchema = z.string().trim().min(1).max(REASON_MAX);

/** Parses an admin change's body (absent: `{}`), or answers 400 VALIDATION_FAILED naming each wrong field. */
export function parseChangeBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = parseBody(schema, body ?? {});
  if (!parsed.ok)
    throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', `the ${what} is invalid`, {
      details: parsed.errors,
    });
  return parsed.value;
}
