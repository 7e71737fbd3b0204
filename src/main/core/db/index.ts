export { openDatabase, checkpoint, startCheckpointTimer, applyPragmas, DatabaseOpenError } from './open';
export type { Db, OpenDatabaseOptions } from './open';
export { migrations, migrate, LATEST_SCHEMA_VERSION } from './migrations';
export type { Migration } from './migrations';
export { Outbox, OUTBOX_SQL, annotationDigest } from './outbox';
export type { OutboxEntry } from './outbox';
export { ActivityLog, ACTIVITY_SQL } from './activity';
export * from './rows';
