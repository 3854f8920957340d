import { z } from 'zod';
import { idSchema } from '@lib/contracts';
import { Principal } from '@lib/platform';
import { changeReasonSchema, parseChangeBody } from '../../devices/change-body';

export const retireDeviceBodySchema = z.object({
  reason: changeReasonSchema,
  /** The device that takes this one's place (a reset that registered a replacement). */
  replacedBy: idSchema.nullable().optional(),
});

/** `POST /v1/admin/devices/{deviceId}/retire {reason, replacedBy?}`. */
export interface RetireDeviceCommand {
  deviceId: string;
  reason: string;
  replacedBy: string | null;
  principal: Principal;
}

export function toRetireDeviceCommand(
  deviceId: string,
  body: unknown,
  principal: Principal,
): RetireDeviceCommand {
  const { reason, replacedBy } = parseChangeBody(retireDeviceBodySchema, body, 'retirement');
  return { deviceId, reason, replacedBy: replacedBy ?? null, principal };
}

/** The reason `POST .../disable`, the old name of retire, records. */
export const DISABLE_REASON = 'disabled';

export function disableAsRetireCommand(deviceId: string, principal: Principal): RetireDeviceCommand {
  return { deviceId, reason: DISABLE_REASON, replacedBy: null, principal };
}
