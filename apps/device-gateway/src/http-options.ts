import { INestApplication } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { DeviceIdentifier } from './auth/device-identifier';
import { devicePreauth } from './auth/device-preauth.middleware';
import { GatewayConfig } from './gateway.config';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { RequestOutcomeMiddleware } from './metrics/request-outcome.middleware';

/** HTTP settings of the gateway, shared by main.ts and the tests that build the app in-process. */
export function gatewayHttpOptions(config: GatewayConfig) {
  return {
    title: 'device-gateway',
    description:
      'Authenticated ingest of invoices and device events from branch devices. Device requests are HMAC-signed ' +
      '(see docs/device-gateway.md); the admin API takes a bearer token.',
    bearerAuth: true,
    // The signature covers the exact body bytes: the JSON parser keeps them as req.rawBody.
    rawBody: true,
    // Only an invoice batch is large; device events and admin calls take a few kB.
    bodyLimit: config.GATEWAY_MAX_EVENT_BODY,
    routeBodyLimits: [{ path: '/v1/invoices', limit: config.GATEWAY_MAX_BODY }],
    beforeBody: (app: INestApplication): RequestHandler[] => {
      const metrics = app.get(GatewayMetrics);
      const outcomes = new RequestOutcomeMiddleware(metrics);
      return [
        // First, so requests refused before or by the JSON parser (401, 400, 413) are counted too.
        (req, res, next) => outcomes.use(req, res, next),
        devicePreauth(app.get(DeviceIdentifier), metrics),
      ];
    },
  };
}
