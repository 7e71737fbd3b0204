export * from './point';
export * from './box';
export * from './polygon';
