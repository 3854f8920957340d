import { GatewayConfig } from './config/gateway.config';

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
    bodyLimit: config.GATEWAY_MAX_BODY,
  };
}
