export * from './master-key-ring';
export * from './sealing-cipher';
