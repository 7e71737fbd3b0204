import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/hub/storage/open';
import { type SqliteDriver } from '../../src/hub/storage/sqlite-driver';
import { seed, tempDir } from './helpers';
import { reviewSuite } from './review.suite';
import { storageSuite } from './storage.suite';
import { activitySuite } from './activity.suite';

const openSqlite = async () => {
  const t = tempDir();
  return { storage: await openStorage({ dataDir: t.dir }), drop: async () => t.remove() };
};
storageSuite('SQLite', openSqlite);
reviewSuite('SQLite', openSqlite);
activitySuite('SQLite', openSqlite);

describe('hub SQLite file', () => {
  it('reopens in WAL with synchronous=FULL and keeps its data', async () => {
    const t = tempDir();
    const s1 = await openStorage({ dataDir: t.dir });
    await seed(s1, { tasks: 2 });
    await s1.close();
    const s2 = await openStorage({ dataDir: t.dir });
    const d = s2.db as SqliteDriver;
    expect(d.pragma('journal_mode')).toBe('wal');
    expect(d.pragma('synchronous')).toBe(2);
    expect((await s2.listProjects())[0]?.taskCount).toBe(2);
    await s2.close();
    t.remove();
  });

  it('refuses a database written by a newer hub and leaves it untouched', async () => {
    const t = tempDir();
    (await openStorage({ dataDir: t.dir })).close();
    const raw = new Database(join(t.dir, 'hub.sqlite'));
    raw.prepare('INSERT INTO hub_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    raw.close();
    await expect(openStorage({ dataDir: t.dir })).rejects.toThrow(/newer than this hub/);
    t.remove();
  });
});
