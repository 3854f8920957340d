import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { IdentifiedRequest } from './device-identifier';

/** The authenticated device of a request, with what its write transaction needs to consume the nonce. */
export interface DevicePrincipal {
  deviceId: string;
  taxNo: string;
  branchId: string;
  /** The authority number (机器编号) as registered, null when none is. */
  deviceNo: string | null;
  /** The registered name, as the device's events carry it (how a finance clerk knows the device). */
  deviceName: string;
  nonce: string;
  /** From this instant on the request is outside the skew window, so the nonce need not be remembered. */
  nonceExpiresAt: Date;
  receivedAt: Date;
  /** The caller's W3C traceparent header, when it sent a valid one. */
  traceparent?: string;
}

export type DeviceRequest = Request & {
  device?: DevicePrincipal;
  /** Set by devicePreauth before the body was read. */
  identified?: IdentifiedRequest;
  rawBody?: Buffer;
};

/** Injects the principal the DeviceAuthGuard attached. */
export const AuthenticatedDevice = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): DevicePrincipal => {
    const device = ctx.switchToHttp().getRequest<DeviceRequest>().device;
    if (!device) throw new Error('AuthenticatedDevice used on a route without DeviceAuthGuard');
    return device;
  },
);
