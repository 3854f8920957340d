export * from './service.module';
export * from './bootstrap';
export * from './service-config';
export * from './contract-decoder';
export * from './admin-auth';
export * from './kafka-config';
export * from './http';
