export * from './label-config';
export * from './annotation';
export * from './task';
export * from './project';
export * from './activity';
export * from './draft';
export * from './text';
export * from './delivery';
