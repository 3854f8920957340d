export * from './signature';
export * from './http-response';
export * from './device-client';
export * from './admin-client';
export * from './sample-invoices';
