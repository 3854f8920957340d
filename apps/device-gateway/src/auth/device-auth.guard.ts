import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { GatewayErrorCode } from '../gateway-error-codes';
import { asStoreError } from '../shared/store-errors';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { deviceAuthCodeOf, deviceAuthError, REFUSED_STATUS_CODES } from './device-auth.errors';
import { DeviceIdentifier } from './device-identifier';
import { DeviceRequest } from './device-principal';
import { DeviceRateLimiter } from './device-rate-limiter';
import { NonceRepository } from './nonce.repository';
import { isSignatureValid, nonceExpiry } from './request-signature.verifier';

const EMPTY = Buffer.alloc(0);

/**
 * Authenticates a device request (see docs/device-gateway.md): headers, nonce and timestamp format, clock skew and
 * device were checked before the body was read (DeviceIdentifier, run by devicePreauth; here again only for a route
 * it did not cover); then the signature over the raw body bytes, the device's status (active; suspended or retired
 * answer DEVICE_SUSPENDED / DEVICE_RETIRED), nonce not yet used, rate limit. The status is only reported to a caller
 * who proved the secret, and a replay (its signature is valid) is refused before it takes one of the device's
 * tokens. The nonce is consumed later, inside the transaction that stores the request's data
 * (DeviceWriteTransaction), so a request that fails half-way can be retried.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(
    private readonly identifier: DeviceIdentifier,
    private readonly nonces: NonceRepository,
    private readonly limiter: DeviceRateLimiter,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Authenticates the request; a refusal is counted here, where it leaves for the caller. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    try {
      await this.authenticate(req);
      return true;
    } catch (error) {
      const code = deviceAuthCodeOf(error);
      if (code) this.metrics.authFailure(code);
      throw error;
    }
  }

  private async authenticate(req: DeviceRequest): Promise<void> {
    const body = rawBodyOf(req);
    const { auth, timestampMs, device, now } =
      req.identified ?? (await this.identifier.identify(req.headers));
    if (!isSignatureValid(device.secret, auth, { method: req.method, pathAndQuery: req.originalUrl, body })) {
      throw deviceAuthError(GatewayErrorCode.BAD_SIGNATURE);
    }
    if (device.status !== 'active') throw deviceAuthError(REFUSED_STATUS_CODES[device.status]);
    // An empty bucket refuses at once, with no query; otherwise the token is taken only once the nonce is known fresh.
    this.limiter.ensureCapacity(device.deviceId, now);
    const replayed = await this.nonces.isInUse(device.deviceId, auth.nonce, now).catch((error: unknown) => {
      throw asStoreError(error);
    });
    if (replayed) throw deviceAuthError(GatewayErrorCode.NONCE_REPLAYED);
    this.limiter.take(device.deviceId, now);
    const traceparent = req.headers.traceparent;
    req.device = {
      deviceId: device.deviceId,
      taxNo: device.taxNo,
      branchId: device.branchId,
      deviceNo: device.deviceNo,
      deviceName: device.name,
      nonce: auth.nonce,
      nonceExpiresAt: new Date(nonceExpiry(timestampMs, this.config.GATEWAY_CLOCK_SKEW_MS)),
      receivedAt: now,
      traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    };
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
