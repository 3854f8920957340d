export * from './principal';
export * from './person-token.verifier';
export * from './auth.config';
export * from './auth.guard';
