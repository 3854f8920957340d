export * from './parse-input';
export * from './openapi-schema';
