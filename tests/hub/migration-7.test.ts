// Hub migration 7: mutation ids unique per client (not hub-wide) and users.stored_bytes, applied
// to a version-6 database that already holds work.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../../src/hub/storage/driver';
import { LATEST_VERSION, migrate } from '../../src/hub/storage/migrations';
import { MUTATION_ROW_BYTES } from '../../src/hub/storage/quota';
import { SqliteDriver } from '../../src/hub/storage/sqlite-driver';
import { openPgDriver, tempDir, warmPglite } from './helpers';
import { freshDatabases } from './fresh-databases';

const unmigrated: [string, () => Promise<{ db: SqlDriver; drop: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const t = tempDir();
      return { db: new SqliteDriver(join(t.dir, 'hub.sqlite')), drop: async () => t.remove() };
    },
  ],
  ['PostgreSQL dialect', openPgDriver],
];

beforeAll(warmPglite, 180_000);

describe.each(unmigrated)('a version-6 hub database upgraded to 7 on %s', (_dialect, open) => {
  const fresh = freshDatabases();

  it('keeps mutations and submissions, counts stored bytes, and scopes mutation ids per client', async () => {
    const db = await fresh(open);
    expect(await migrate(db, 6)).toBe(6);
    const annotation = '{"results":[],"activeMs":7}';
    await db.run("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 1, 1, 1, 0)");
    await db.run(
      "INSERT INTO tasks (id, project_id, seq, data, predictions, meta) VALUES ('t', 'p', 1, '{}', '[]', '{}')",
    );
    for (const u of ['a', 'b']) {
      await db.run('INSERT INTO users (id, name, token_hash, created_at) VALUES (?, ?, ?, 0)', [
        u,
        u,
        `h-${u}`,
      ]);
      await db.run('INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, 1)', [`c-${u}`, u]);
    }
    await db.run("INSERT INTO mutations VALUES ('m1', 'c-a', 1, 'submit', 't', 'applied', NULL, 0, 5)");
    await db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, received_at) VALUES ('m1', 't', 'p', 'a', 1, ?, 0, 5)",
      [annotation],
    );

    expect(await migrate(db)).toBe(LATEST_VERSION);
    const bytes = await db.all('SELECT id, stored_bytes FROM users ORDER BY id');
    expect(bytes.map((r) => Number(r.stored_bytes))).toEqual([annotation.length + MUTATION_ROW_BYTES, 0]);
    expect(await db.all('SELECT mutation_id, client_id, seq FROM mutations')).toEqual([
      { mutation_id: 'm1', client_id: 'c-a', seq: expect.anything() },
    ]);
    // The same id from another client is another mutation now, and its submission is kept too.
    await db.run("INSERT INTO mutations VALUES ('m1', 'c-b', 1, 'submit', 't', 'applied', NULL, 0, 6)");
    await db.run(
      "INSERT INTO submissions (id, task_id, project_id, user_id, lease_epoch, annotation, conflict, received_at) VALUES ('m1', 't', 'p', 'b', 2, ?, 0, 6)",
      [annotation],
    );
    // …but the same client may not store it twice.
    await expect(
      db.run("INSERT INTO mutations VALUES ('m1', 'c-a', 2, 'submit', 't', 'applied', NULL, 0, 7)"),
    ).rejects.toThrow();
    expect(Number((await db.get('SELECT COUNT(*) AS n FROM submissions'))?.n)).toBe(2);
  });
});
