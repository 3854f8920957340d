export * from './data-source.factory';
export * from './database.module';
export * from './sql';
export * from './database-readiness';
export * from './advisory-lock-classes';
