export * from './service.module';
export * from './bootstrap';
export * from './service-config';
export * from './contract-decoder';
export * from './kafka-config';
export * from './http';
export * from './auth';
export * from './audit';
