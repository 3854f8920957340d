import { z } from 'zod';
import { Principal } from '@lib/platform';
import { changeReasonSchema, parseChangeBody } from '../../devices/change-body';

export const enableDeviceBodySchema = z.object({ reason: changeReasonSchema });

/** `POST /v1/admin/devices/{deviceId}/enable {reason}`. */
export interface EnableDeviceCommand {
  deviceId: string;
  reason: string;
  principal: Principal;
}

export function toEnableDeviceCommand(
  deviceId: string,
  body: unknown,
  principal: Principal,
): EnableDeviceCommand {
  const { reason } = parseChangeBody(enableDeviceBodySchema, body, 'enabling');
  return { deviceId, reason, principal };
}
