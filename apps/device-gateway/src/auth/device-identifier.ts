import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { AuthenticDevice, DeviceDirectory } from '../devices/device-directory';
import { GatewayErrorCode } from '../gateway-error-codes';
import { asStoreError } from '../shared/store-errors';
import { deviceAuthError } from './device-auth.errors';
import { AuthHeaders, checkClockSkew, readAuthHeaders } from './request-signature.verifier';

const MAX_DEVICE_ID_LENGTH = 64;

/** A request whose headers name a known device, within the clock skew; its signature is not checked yet. */
export interface IdentifiedRequest {
  auth: AuthHeaders;
  timestampMs: number;
  device: AuthenticDevice;
  /** When the request was received (before its body was read). */
  now: Date;
}

/**
 * The part of device authentication that needs only the headers: their format, the clock skew and the device
 * (from the directory's memory, or one query per id). It runs before the body is read (device-preauth.middleware),
 * so a caller naming no device never has a body buffered or parsed.
 */
@Injectable()
export class DeviceIdentifier {
  constructor(
    private readonly directory: DeviceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async identify(headers: IncomingHttpHeaders): Promise<IdentifiedRequest> {
    const auth = readAuthHeaders(headers);
    const now = this.clock.now();
    const timestampMs = Number(auth.timestamp);
    checkClockSkew(timestampMs, now.getTime(), this.config.GATEWAY_CLOCK_SKEW_MS);
    if (auth.deviceId.length > MAX_DEVICE_ID_LENGTH) throw deviceAuthError(GatewayErrorCode.UNKNOWN_DEVICE);
    const device = await this.directory.find(auth.deviceId).catch((error: unknown) => {
      throw asStoreError(error);
    });
    if (!device) throw deviceAuthError(GatewayErrorCode.UNKNOWN_DEVICE);
    return { auth, timestampMs, device, now };
  }
}
