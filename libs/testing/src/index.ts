export * from './poll';
export * from './names';
export * from './infra';
export * from './kafka-probe';
export * from './service-env';
export * from './http-json';
export * from './metrics';
export * from './test-issuer';
