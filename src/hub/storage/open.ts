import type { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import { migrate } from './migrations';
import { privateSqliteFile } from './private-files';
import { PgDriver } from './pg-driver';
import { PgliteDriver } from './pglite-driver';
import { SqliteDriver } from './sqlite-driver';
import { SqlStorage } from './sql-storage';

export type StorageOptions =
  /** SQLite: one file, `hub.sqlite`, in the data dir (the embedded default). */
  | { dataDir: string }
  /** PostgreSQL server; `schema` (default public) lets tests and tenants stay apart. */
  | { pgUrl: string; schema?: string; poolSize?: number }
  /** The PostgreSQL dialect in-process (PGlite); in memory when `dataDir` is omitted. */
  | { pglite: true; dataDir?: string }
  /** A schema of a PGlite instance the caller owns (tests share one; it stays open). */
  | { pglite: PGlite; schema: string };

export const SQLITE_FILE = 'hub.sqlite';

/** Opens (and migrates) hub storage. */
export const openStorage = async (opts: StorageOptions): Promise<SqlStorage> => {
  let storage: SqlStorage;
  if ('pgUrl' in opts) {
    const d = new PgDriver(opts.pgUrl, opts.schema ?? 'public', opts.poolSize);
    try {
      await d.ensureSchema();
    } catch (e) {
      await d.close();
      throw e;
    }
    storage = new SqlStorage(d);
  } else if ('pglite' in opts) {
    storage = new SqlStorage(
      opts.pglite === true
        ? await PgliteDriver.open(opts.dataDir)
        : await PgliteDriver.attach(opts.pglite, opts.schema),
    );
  } else {
    const file = join(opts.dataDir, SQLITE_FILE);
    privateSqliteFile(file);
    storage = new SqlStorage(new SqliteDriver(file));
  }
  try {
    await migrate(storage.db);
  } catch (e) {
    await storage.close();
    throw e;
  }
  return storage;
};
