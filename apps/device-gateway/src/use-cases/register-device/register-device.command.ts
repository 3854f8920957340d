import { AppError } from '@lib/common';
import { localDateSchema, parseBody, registerDeviceBodySchema } from '@lib/contracts';
import { Principal } from '@lib/platform';
import { GatewayErrorCode } from '../../gateway-error-codes';

/**
 * The contract's registration body, plus `activatedOn` (docs/device-operations.md): the day the tax device was
 * issued to the taxpayer (发行日期), for a fleet registered long after its devices were; not after today.
 */
export const registerDeviceRequestSchema = registerDeviceBodySchema.extend({
  activatedOn: localDateSchema.nullable().optional(),
});

export interface RegisterDeviceCommand {
  taxNo: string;
  branchId: string;
  name: string;
  /** The authority number (机器编号); null when not given. */
  deviceNo: string | null;
  /** YYYY-MM-DD; null when not given. */
  activatedOn: string | null;
  principal: Principal;
}

export function toRegisterDeviceCommand(body: unknown, principal: Principal): RegisterDeviceCommand {
  const parsed = parseBody(registerDeviceRequestSchema, body ?? {});
  if (!parsed.ok)
    throw new AppError(
      GatewayErrorCode.VALIDATION_FAILED,
      'validation',
      'the device registration is invalid',
      {
        details: parsed.errors,
      },
    );
  const { taxNo, branchId, name, deviceNo, activatedOn } = parsed.value;
  return { taxNo, branchId, name, deviceNo: deviceNo ?? null, activatedOn: activatedOn ?? null, principal };
}
