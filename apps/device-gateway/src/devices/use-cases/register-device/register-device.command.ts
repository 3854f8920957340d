import { AppError } from '@lib/common';
import { parseBody, registerDeviceBodySchema } from '@lib/contracts';
import { Principal } from '@lib/platform';

export interface RegisterDeviceCommand {
  taxNo: string;
  branchId: string;
  name: string;
  /** The authority number (机器编号); null when not given. */
  deviceNo: string | null;
  principal: Principal;
}

export function toRegisterDeviceCommand(body: unknown, principal: Principal): RegisterDeviceCommand {
  const parsed = parseBody(registerDeviceBodySchema, body ?? {});
  if (!parsed.ok)
    throw new AppError('VALIDATION_FAILED', 'validation', 'the device registration is invalid', {
      details: parsed.errors,
    });
  return { ...parsed.value, deviceNo: parsed.value.deviceNo ?? null, principal };
}
