import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The hub's data is for its owner only: folders 0700, files 0600, set explicitly so the
 * process's umask does not decide. (The workbench has its own copy in src/main/core: the hub
 * shares only src/shared with it.)
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents up to an existing folder) owner-only. */
export const mkdirPrivate = (dir: string): void => {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const d of missing) chmodSync(d, PRIVATE_DIR_MODE);
};

/**
 * Makes an SQLite database file owner-only before SQLite opens it: SQLite gives the -wal and
 * -shm files it creates the database file's mode. Existing files (journals included) are
 * narrowed too.
 */
export const privateSqliteFile = (file: string): void => {
  mkdirPrivate(dirname(file));
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
};
