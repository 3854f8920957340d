export * from './load-config';
export * from './env-types';
export * from './base-config';
export * from './production-token';
