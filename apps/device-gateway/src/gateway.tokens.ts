/** The parsed GatewayConfig, for providers that read the gateway's settings. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
