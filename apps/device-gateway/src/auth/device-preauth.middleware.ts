import type { RequestHandler } from 'express';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { deviceAuthCodeOf } from './device-auth.errors';
import { DeviceRequest } from './device-principal';
import { DeviceIdentifier } from './device-identifier';

/** The routes only devices call (any method): their callers are identified before their bodies are read. */
export const DEVICE_PATHS = ['/v1/invoices', '/v1/devices'] as const;

export function isDevicePath(path: string): boolean {
  const lower = path.toLowerCase();
  return DEVICE_PATHS.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}

/**
 * Runs before the JSON parser: a device request whose headers are missing, malformed, out of the skew window or
 * name no device is refused (401, through the exception filter) without its body being read; a known device's
 * identity is kept for DeviceAuthGuard, which checks the signature over the body once it is read. A refusal is
 * counted here, where it leaves for the caller.
 */
export function devicePreauth(identifier: DeviceIdentifier, metrics: GatewayMetrics): RequestHandler {
  return (req, _res, next) => {
    if (!isDevicePath(req.path)) {
      next();
      return;
    }
    identifier.identify(req.headers).then(
      (identified) => {
        (req as DeviceRequest).identified = identified;
        next();
      },
      (error: unknown) => {
        const code = deviceAuthCodeOf(error);
        if (code) metrics.authFailure(code);
        next(error);
      },
    );
  };
}
