export * from './config';
export * from './errors';
export * from './clock';
export * from './time/backoff';
export * from './time/sleep';
export * from './text/mask';
export * from './auth/bearer';
export * from './ids/id-source';
