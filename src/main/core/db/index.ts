export { openDatabase, checkpoint, DatabaseOpenError } from './open';
export type { Db } from './open';
export { migrations, migrate, LATEST_SCHEMA_VERSION } from './migrations';
export type { Migration } from './migrations';
export { Outbox, OUTBOX_SQL, annotationDigest } from './outbox';
export { ACTIVITY_SQL } from './activity';
export * from './rows';
