export * from './ports/invoice-target.port';
export * from './ports/token-store.port';
