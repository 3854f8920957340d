export * from './audit-log';
export * from './audit-log.migration';
export * from './audit.controller';
