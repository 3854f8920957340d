import { AppError } from '@lib/common';
import { parseBody, setDeviceNoBodySchema } from '@lib/contracts';
import { Principal } from '@lib/platform';
import { GatewayErrorCode } from '../../gateway-error-codes';

/** `PUT /v1/admin/devices/{deviceId}/device-no`. */
export interface SetDeviceNoCommand {
  deviceId: string;
  /** The authority number (机器编号); null forgets it. */
  deviceNo: string | null;
  principal: Principal;
}

export function toSetDeviceNoCommand(
  deviceId: string,
  body: unknown,
  principal: Principal,
): SetDeviceNoCommand {
  const parsed = parseBody(setDeviceNoBodySchema, body ?? {});
  if (!parsed.ok)
    throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', 'the device number is invalid', {
      details: parsed.errors,
    });
  return { deviceId, deviceNo: parsed.value.deviceNo, principal };
}
