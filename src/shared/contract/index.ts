export * from './result';
export * from './api';
export * from './methods/tasks';
export * from './methods/app';
export * from './methods/sync';
export * from './client';
export * from './methods/review';
