import { z } from 'zod';
import { Principal } from '@lib/platform';
import { changeReasonSchema, parseChangeBody } from '../../devices/change-body';

export const suspendDeviceBodySchema = z.object({ reason: changeReasonSchema });

/** `POST /v1/admin/devices/{deviceId}/suspend {reason}`. */
export interface SuspendDeviceCommand {
  deviceId: string;
  reason: string;
  principal: Principal;
}

export function toSuspendDeviceCommand(
  deviceId: string,
  body: unknown,
  principal: Principal,
): SuspendDeviceCommand {
  const { reason } = parseChangeBody(suspendDeviceBodySchema, body, 'suspension');
  return { deviceId, reason, principal };
}
