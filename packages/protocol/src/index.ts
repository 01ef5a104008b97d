export * from './signing';
export * from './keys';
export * from './wire';
export * from './audit';
export * from './receipts';
export * from './actor';
