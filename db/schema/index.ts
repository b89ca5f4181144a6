export * from './users';
export * from './customers';
export * from './products';
export * from './settings';
export * from './platform';
export * from './tickets';
export * from './billing';
export * from './contracts';
