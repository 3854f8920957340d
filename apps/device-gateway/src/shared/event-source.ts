/** The envelope's `source` of every event the gateway produces. */
export const GATEWAY_SOURCE = 'device-gateway';
