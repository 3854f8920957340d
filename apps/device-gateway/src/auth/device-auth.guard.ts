import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { DeviceDirectory } from '../devices/device-directory';
import { asStoreError } from '../shared/store-errors';
import { deviceAuthError } from './device-auth.errors';
import { DeviceRequest } from './device-principal';
import { DeviceRateLimiter } from './device-rate-limiter';
import { checkClockSkew, isSignatureValid, readAuthHeaders } from './request-signature.verifier';

const MAX_DEVICE_ID_LENGTH = 64;
const EMPTY = Buffer.alloc(0);

/**
 * Authenticates a device request (see docs/device-gateway.md): headers, nonce and timestamp format, clock skew,
 * device, signature over the raw body bytes, enabled, rate limit. Cheap stateless checks come first; a disabled
 * device is only reported to a caller who proved the secret. The nonce is consumed later, inside the transaction
 * that stores the request's data (DeviceWriteTransaction), so a request that fails half-way can be retried.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(
    private readonly directory: DeviceDirectory,
    private readonly limiter: DeviceRateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    const body = rawBodyOf(req);
    const auth = readAuthHeaders(req.headers);
    const now = this.clock.now();
    const timestampMs = Number(auth.timestamp);
    checkClockSkew(timestampMs, now.getTime(), this.config.GATEWAY_CLOCK_SKEW_MS);
    if (auth.deviceId.length > MAX_DEVICE_ID_LENGTH) throw deviceAuthError('UNKNOWN_DEVICE');
    const device = await this.directory.find(auth.deviceId).catch((error: unknown) => {
      throw asStoreError(error);
    });
    if (!device) throw deviceAuthError('UNKNOWN_DEVICE');
    if (!isSignatureValid(device.secret, auth, { method: req.method, pathAndQuery: req.originalUrl, body })) {
      throw deviceAuthError('BAD_SIGNATURE');
    }
    if (device.status !== 'active') throw deviceAuthError('DEVICE_DISABLED');
    this.limiter.check(device.deviceId, now);
    const traceparent = req.headers.traceparent;
    req.device = {
      deviceId: device.deviceId,
      taxNo: device.taxNo,
      branchId: device.branchId,
      deviceNo: device.deviceNo,
      nonce: auth.nonce,
      nonceExpiresAt: new Date(timestampMs + this.config.GATEWAY_CLOCK_SKEW_MS),
      receivedAt: now,
      traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    };
    return true;
  }
}

/**
 * The bytes the signature covers. The JSON parser keeps them (rawBody) when it parsed the body; a body it did not
 * parse (no JSON content type) cannot be signed-checked or read, so it is refused as such rather than as a bad
 * signature.
 */
function rawBodyOf(req: DeviceRequest): Buffer {
  if (req.rawBody) return req.rawBody;
  const length = Number(req.headers['content-length'] ?? 0);
  const isJson = /^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '');
  if (!isJson && (length > 0 || req.headers['transfer-encoding'] !== undefined)) {
    throw new UnsupportedMediaTypeException('send the body as Content-Type: application/json');
  }
  return EMPTY;
}
