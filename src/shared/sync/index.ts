export * from './version';
export * from './errors';
export * from './roles';
export * from './lease';
export * from './push';
export * from './pull';
export * from './lease-digest';
export * from './routes';
