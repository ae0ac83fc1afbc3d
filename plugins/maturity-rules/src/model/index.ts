export * from './repository';
export * from './signals';
