export * from './app-error';
export * from './http-status';
export * from './infrastructure-errors';
