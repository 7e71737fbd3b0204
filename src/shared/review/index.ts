export * from './diff';
export * from './pins';
export * from './timeline';
