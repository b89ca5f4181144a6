// Re-exports every workflow the worker runs; each process lives in its own file.
export * from './ticket';
export * from './order';
export * from './contract';
export * from './dunning';
export * from './notification';
export * from './inbound';
export * from './claims';
export * from './incident';
export * from './return';
