import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkpoint, openDatabase } from '../db/open';
import { mkdirPrivate, syncDir, writeFilePrivateAtomic } from '../private-files';
import {
  hubEntry,
  isDemoHubUrl,
  localEntry,
  LOCAL_WORKSPACE_ID,
  readRegistry,
  WorkspaceEntry,
  workspaceFolder,
  writeRegistry,
  type Registry,
} from './registry';

/**
 * What a data folder held before workspaces: one database (and its WAL), the local assets, the
 * hub image cache and the hub token, all at the top of the data folder.
 */
export const LEGACY_ITEMS = [
  'workspace.db',
  'workspace.db-wal',
  'workspace.db-shm',
  'assets',
  'hub-assets',
  'hub-token',
  'hub-token.sealed',
] as const;

/** Written before the first item moves, removed after the registry names the workspace: while
 * it exists, the move is unfinished and the next start completes it into the same workspace. */
export const MIGRATION_MARKER = 'workspaces-migration.json';

const Marker = z.object({ entry: WorkspaceEntry });

/** The hub the legacy database was signed in to (its sync_meta), after folding its WAL in. */
const legacyHubUrl = (file: string, nativeBinding: string | undefined): string | null => {
  const db = openDatabase(file, nativeBinding ? { nativeBinding } : {});
  try {
    checkpoint(db);
    const row = db.prepare<[], { value: string }>(`SELECT value FROM sync_meta WHERE key = 'hubUrl'`).get();
    return row?.value ?? null;
  } finally {
    db.close();
  }
};

export type MigrationResult = { migrated: WorkspaceEntry | null };

/**
 * Moves a data folder from before workspaces into the workspace it came from: the hub its
 * sync_meta names, or the local-only workspace. Each item moves by one rename (atomic on one
 * file system); the plan is written first and the registry last, so a crash at any point loses
 * nothing and the next start finishes the same move. Nothing to do once the registry exists and
 * no plan is left.
 */
export const migrateLegacyDataFolder = (
  dataDir: string,
  opts: { clock: () => number; nativeBinding?: string },
): MigrationResult => {
  const markerFile = path.join(dataDir, MIGRATION_MARKER);
  let entry: WorkspaceEntry;
  if (existsSync(markerFile)) {
    entry = Marker.parse(JSON.parse(readFileSync(markerFile, 'utf8'))).entry;
  } else {
    if (readRegistry(dataDir) !== null) return { migrated: null };
    const legacyDb = path.join(dataDir, LEGACY_ITEMS[0]);
    if (!existsSync(legacyDb)) return { migrated: null };
    const hubUrl = legacyHubUrl(legacyDb, opts.nativeBinding);
    const now = opts.clock();
    entry = hubUrl ? hubEntry(hubUrl, isDemoHubUrl(dataDir, hubUrl), now) : localEntry(now);
    writeFilePrivateAtomic(markerFile, JSON.stringify({ entry }));
  }

  const folder = workspaceFolder(dataDir, entry);
  mkdirPrivate(folder);
  for (const item of LEGACY_ITEMS) {
    const from = path.join(dataDir, item);
    const to = path.join(folder, item);
    if (!existsSync(from)) continue; // moved before a crash, or never there
    if (existsSync(to)) {
      // A shared-memory index is rebuilt by SQLite; anything else is data we will not overwrite.
      if (item === 'workspace.db-shm') {
        rmSync(from, { force: true });
        continue;
      }
      throw new Error(
        `moving ${from} into its workspace: ${to} exists already. Nothing was overwritten; ` +
          'move one of them aside and start again.',
      );
    }
    renameSync(from, to);
  }
  syncDir(folder);
  syncDir(dataDir);

  const existing = readRegistry(dataDir);
  const now = opts.clock();
  const others = (existing?.workspaces ?? []).filter((w) => w.id !== entry.id);
  const registry: Registry = {
    version: 1,
    activeId: entry.id,
    workspaces: [
      ...(entry.id === LOCAL_WORKSPACE_ID || others.some((w) => w.id === LOCAL_WORKSPACE_ID)
        ? []
        : [localEntry(now)]),
      ...others,
      entry,
    ],
  };
  writeRegistry(dataDir, registry);
  rmSync(markerFile, { force: true });
  syncDir(dataDir);
  return { migrated: entry };
};
