import { z } from 'zod';
import { idSchema } from '@lib/contracts';
import { Principal } from '@lib/platform';
import { targetRegistry } from '@lib/providers';
import { parseChangeBody } from '../../devices/change-body';

/** `PUT /v1/admin/devices/{deviceId}/hosting`: the platform (a target's name) hosting the device, or null. */
export const setDeviceHostingBodySchema = z.object({
  hostedOn: idSchema
    .refine((name) => targetRegistry.isPlatform(name), {
      message: `must be a platform: ${targetRegistry.platforms().join(', ')}`,
      params: { code: 'UNKNOWN_PLATFORM' },
    })
    .nullable(),
});

export interface SetDeviceHostingCommand {
  deviceId: string;
  /** Null: the device is on premises. */
  hostedOn: string | null;
  principal: Principal;
}

export function toSetDeviceHostingCommand(
  deviceId: string,
  body: unknown,
  principal: Principal,
): SetDeviceHostingCommand {
  const { hostedOn } = parseChangeBody(setDeviceHostingBodySchema, body, 'hosting');
  return { deviceId, hostedOn, principal };
}
